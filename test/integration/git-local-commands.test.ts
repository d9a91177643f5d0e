// config, remote, refs and fastForwardCurrentBranch on real repositories made in a temp dir.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getConfig, getConfigAll, setConfig, unsetConfig } from '../../electron/helper/git/config';
import { fastForwardCurrentBranch } from '../../electron/helper/git/fast-forward';
import { currentBranch, listLocalRefs, revParse, updateRef } from '../../electron/helper/git/refs';
import { getRemoteUrls, setRemoteUrl } from '../../electron/helper/git/remote';
import { makeTempDir } from '../support/temp-dir';

const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

let temp: { path: string; cleanup(): Promise<void> };
let counter = 0;

function commit(work: string, file: string, text: string): string {
  execFileSync('sh', ['-c', 'printf "%s" "$1" > "$2"', 'sh', text, file], { cwd: work });
  git(work, 'add', file);
  git(work, 'commit', '-q', '-m', `${file}: ${text}`);
  return git(work, 'rev-parse', 'HEAD');
}

/** A clone whose main is one commit behind refs/remotes/origin/main. */
function behindClone(): { work: string; old: string; ahead: string } {
  const work = path.join(temp.path, `work-${++counter}`);
  git(temp.path, 'init', '-q', '-b', 'main', work);
  const old = commit(work, 'a.txt', 'one');
  const ahead = commit(work, 'b.txt', 'two');
  git(work, 'update-ref', 'refs/remotes/origin/main', ahead);
  git(work, 'reset', '-q', '--hard', old);
  return { work, old, ahead };
}

beforeAll(async () => {
  temp = await makeTempDir('git-local');
});
afterAll(async () => {
  await temp?.cleanup();
});

describe('config', () => {
  it('reads, writes, adds and unsets values that look like options or span lines', async () => {
    const { work } = behindClone();
    expect(await getConfig(work, 'mirrorclone.source')).toBeUndefined();
    await setConfig(work, 'mirrorclone.source', '--near mirror\nsecond line');
    expect(await getConfig(work, 'mirrorclone.source')).toBe('--near mirror\nsecond line');
    await setConfig(work, 'credential.http://h:1.helper', '', { add: true });
    await setConfig(work, 'credential.http://h:1.helper', '!mirror-clone credential', { add: true });
    expect(await getConfigAll(work, 'credential.http://h:1.helper')).toEqual(['', '!mirror-clone credential']);
    await expect(unsetConfig(work, 'credential.http://h:1.helper')).rejects.toMatchObject({ kind: 'invalid-argument' });
    expect(await unsetConfig(work, 'credential.http://h:1.helper', { all: true })).toBe(true);
    expect(await getConfigAll(work, 'credential.http://h:1.helper')).toEqual([]);
    expect(await unsetConfig(work, 'mirrorclone.nothing')).toBe(false);
    expect(await getConfig(work, 'mirrorclone.source', { local: true })).toBe('--near mirror\nsecond line');
  });

  it("reports a folder that is not a repository as 'not-a-repository'", async () => {
    await expect(setConfig(temp.path, 'a.b', 'c')).rejects.toMatchObject({ kind: 'not-a-repository' });
  });
});

describe('remote URLs', () => {
  it('sets the mirror as url and the primary as pushurl, and reads both back', async () => {
    const { work } = behindClone();
    git(work, 'remote', 'add', 'origin', 'https://primary.example.com/scm/p/r.git');
    expect(await getRemoteUrls(work, 'origin')).toEqual({ fetch: 'https://primary.example.com/scm/p/r.git', push: undefined });
    await setRemoteUrl(work, 'origin', 'https://mirror.example.com/scm/p/r.git');
    await setRemoteUrl(work, 'origin', 'https://primary.example.com/scm/p/r.git', { push: true });
    expect(await getRemoteUrls(work, 'origin')).toEqual({ fetch: 'https://mirror.example.com/scm/p/r.git', push: 'https://primary.example.com/scm/p/r.git' });
    expect(git(work, 'remote', 'get-url', '--push', 'origin')).toBe('https://primary.example.com/scm/p/r.git');
    expect(await getRemoteUrls(work, 'upstream')).toEqual({ fetch: undefined, push: undefined });
    await expect(setRemoteUrl(work, 'upstream', 'https://h/r.git')).rejects.toMatchObject({ exitCode: 2 });
    expect(await readFile(path.join(work, '.git', 'config'), 'utf8')).not.toMatch(/@/);
  });
});

describe('refs', () => {
  it('lists refs by prefix, resolves revisions, moves a ref with compare-and-swap, names the branch', async () => {
    const { work, old, ahead } = behindClone();
    git(work, 'update-ref', 'refs/remotes/origin-other/main', old);
    git(work, 'tag', '-a', '-m', 'release', 'v1', old);
    const remotes = await listLocalRefs(work, ['refs/remotes/origin/']);
    expect([...remotes]).toEqual([['refs/remotes/origin/main', ahead]]);
    const all = await listLocalRefs(work);
    expect(all.get('refs/heads/main')).toBe(old);
    expect(all.get('refs/tags/v1')).toMatch(/^[0-9a-f]{40}$/);

    expect(await revParse(work, 'refs/tags/v1^{commit}')).toBe(old);
    expect(await revParse(work, 'refs/heads/nope')).toBeUndefined();

    await updateRef(work, 'refs/heads/feature', ahead, { message: 'test' });
    expect(await revParse(work, 'refs/heads/feature')).toBe(ahead);
    await expect(updateRef(work, 'refs/heads/feature', old, { oldOid: old })).rejects.toMatchObject({ exitCode: 128 });
    await updateRef(work, 'refs/heads/feature', old, { oldOid: ahead });
    expect(await revParse(work, 'refs/heads/feature')).toBe(old);

    expect(await currentBranch(work)).toBe('main');
    expect(await currentBranch(work, { fullname: true })).toBe('refs/heads/main');
    git(work, 'tag', 'main', ahead); // a tag named like the branch must not confuse the short name
    expect(await currentBranch(work)).toBe('main');
    git(work, 'checkout', '-q', '--detach');
    expect(await currentBranch(work)).toBeUndefined();
  });
});

describe('fastForwardCurrentBranch', () => {
  it('fast-forwards a clean branch that is behind, work tree included', async () => {
    const { work, old, ahead } = behindClone();
    const result = await fastForwardCurrentBranch(work, 'refs/remotes/origin/main');
    expect(result).toEqual({ ok: true, status: 'fast-forwarded', branch: 'main', from: old, to: ahead });
    expect(git(work, 'rev-parse', 'HEAD')).toBe(ahead);
    expect(await readFile(path.join(work, 'b.txt'), 'utf8')).toBe('two');
    expect(await fastForwardCurrentBranch(work, 'refs/remotes/origin/main')).toMatchObject({ ok: true, status: 'up-to-date' });
  });

  it('leaves a branch with its own commits alone (diverged), and one that is ahead', async () => {
    const { work, ahead } = behindClone();
    const local = commit(work, 'local.txt', 'mine');
    const result = await fastForwardCurrentBranch(work, 'refs/remotes/origin/main');
    expect(result).toMatchObject({ ok: false, status: 'diverged', from: local, to: ahead });
    expect(result.reason).toMatch(/has commits/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(local);

    git(work, 'reset', '-q', '--hard', ahead);
    const further = commit(work, 'c.txt', 'three');
    expect(await fastForwardCurrentBranch(work, 'refs/remotes/origin/main')).toMatchObject({ ok: true, status: 'ahead', from: further });
    expect(git(work, 'rev-parse', 'HEAD')).toBe(further);
  });

  it('leaves a dirty work tree untouched', async () => {
    const { work, old } = behindClone();
    await writeFile(path.join(work, 'a.txt'), 'edited, not committed');
    const result = await fastForwardCurrentBranch(work, 'refs/remotes/origin/main');
    expect(result).toMatchObject({ ok: false, status: 'dirty' });
    expect(git(work, 'rev-parse', 'HEAD')).toBe(old);
    expect(await readFile(path.join(work, 'a.txt'), 'utf8')).toBe('edited, not committed');
  });

  it('reports git refusing (an untracked file in the way) without changing anything', async () => {
    const { work, old } = behindClone();
    await writeFile(path.join(work, 'b.txt'), 'untracked, would be overwritten');
    const result = await fastForwardCurrentBranch(work, 'refs/remotes/origin/main');
    expect(result).toMatchObject({ ok: false, status: 'blocked' });
    expect(result.reason).toMatch(/untracked|overwritten/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(old);
    expect(await readFile(path.join(work, 'b.txt'), 'utf8')).toBe('untracked, would be overwritten');
  });

  it('says so for a detached HEAD or a missing target', async () => {
    const { work } = behindClone();
    expect(await fastForwardCurrentBranch(work, 'refs/remotes/origin/nope')).toMatchObject({ ok: false, status: 'missing-target' });
    git(work, 'checkout', '-q', '--detach');
    expect(await fastForwardCurrentBranch(work, 'refs/remotes/origin/main')).toMatchObject({ ok: false, status: 'detached' });
  });

  it('passes cancellation through', async () => {
    const { work } = behindClone();
    await expect(fastForwardCurrentBranch(work, 'refs/remotes/origin/main', AbortSignal.abort())).rejects.toMatchObject({ kind: 'cancelled' });
  });
});
