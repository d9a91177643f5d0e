// The command files' argument handling, with a recording runner in place of git: what reaches
// git (and where `--` goes), and what is refused before anything is started.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitRunOptions, GitResult } from '../../electron/helper/git/runner';
import { cloneArguments, cloneRepository } from '../../electron/helper/git/clone';
import { fetchArguments, fetchRemote } from '../../electron/helper/git/fetch';
import { getConfig, setConfig } from '../../electron/helper/git/config';
import { getRemoteUrls, setRemoteUrl } from '../../electron/helper/git/remote';
import { listLocalRefs, revParse, updateRef } from '../../electron/helper/git/refs';
import { lsRemote } from '../../electron/helper/git/ls-remote';
import { extraHeadersFor, isoCloneRepository } from '../../electron/helper/git/iso-clone';
import { configEnv } from '../../electron/helper/git/environment';
import type { GitProgress } from '../../electron/helper/git/progress';
import { makeTempDir } from '../support/temp-dir';

let temp: { path: string; cleanup(): Promise<void> };
beforeAll(async () => {
  temp = await makeTempDir('git-commands');
});
afterAll(async () => {
  await temp?.cleanup();
});

/** A runner that records calls and answers with `result` (and optional stderr for onStderr). */
function recorder(result: Partial<GitResult> = {}, stderr = '') {
  const calls: { args: string[]; options: GitRunOptions }[] = [];
  const runner = async (args: string[], options: GitRunOptions = {}): Promise<GitResult> => {
    calls.push({ args, options });
    if (stderr) options.onStderr?.(stderr);
    return { stdout: '', stderr, exitCode: 0, ...result };
  };
  return { calls, runner };
}

const url = 'https://bitbucket.example.com/scm/proj/repo.git';

describe('clone', () => {
  it('puts -- before the URL and the directory, and maps the options', () => {
    const dir = path.join(temp.path, 'a');
    expect(cloneArguments({ url, directory: dir })).toEqual(['clone', '--progress', '--', url, dir]);
    expect(cloneArguments({ url, directory: dir, depth: 1, branch: 'release/1.0', mirror: true, reference: '/srv/cache/repo.git', dissociate: true })).toEqual([
      'clone',
      '--progress',
      '--depth=1',
      '--branch=release/1.0',
      '--mirror',
      '--reference=/srv/cache/repo.git',
      '--dissociate',
      '--',
      url,
      dir,
    ]);
    expect(cloneArguments({ url, directory: dir, noCheckout: true })).toContain('--no-checkout');
  });

  it('gives git the checked URL: no user info in an http URL', () => {
    const args = cloneArguments({ url: 'https://dev:secret@bitbucket.example.com/scm/proj/repo.git', directory: path.join(temp.path, 'b') });
    expect(args.join(' ')).not.toContain('secret');
    expect(args).toContain(url);
  });

  it.each(['ext::sh -c touch% /tmp/pwned', 'file:///etc', '/srv/git/repo.git', 'ssh://-oProxyCommand=x/repo.git', 'git@-oProxyCommand=calc:repo.git', 'ftp://h/r.git'])(
    "refuses %s with 'unsafe-url' before starting git",
    async (bad) => {
      const { calls, runner } = recorder();
      await expect(cloneRepository({ url: bad, directory: path.join(temp.path, 'c'), runner })).rejects.toMatchObject({ kind: 'unsafe-url' });
      expect(calls).toEqual([]);
    },
  );

  it.each([
    [{ directory: 'relative/dir' }, /absolute/],
    [{ depth: 0 }, /depth/],
    [{ depth: 1.5 }, /depth/],
    [{ branch: '-b' }, /ref name/],
    [{ branch: 'a..b' }, /ref name/],
    [{ dissociate: true }, /reference/],
  ])('refuses %j as an invalid argument', async (bad, message) => {
    const { calls, runner } = recorder();
    const error = await cloneRepository({ url, directory: path.join(temp.path, 'd'), ...bad, runner }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(message) });
    expect(calls).toEqual([]);
  });

  it("refuses a destination that holds anything ('destination-exists'); an empty one is fine", async () => {
    const full = path.join(temp.path, 'full');
    await mkdir(full, { recursive: true });
    await writeFile(path.join(full, 'file'), 'x');
    const { calls, runner } = recorder();
    await expect(cloneRepository({ url, directory: full, runner })).rejects.toMatchObject({ kind: 'destination-exists' });
    await expect(cloneRepository({ url, directory: path.join(full, 'file'), runner })).rejects.toMatchObject({ kind: 'destination-exists' });
    expect(calls).toEqual([]);
    const empty = path.join(temp.path, 'empty');
    await mkdir(empty);
    await cloneRepository({ url, directory: empty, runner });
    expect(calls).toHaveLength(1);
  });

  it('turns stderr into progress and ends with done; passes env, signal and the no-delay progress setting', async () => {
    const { calls, runner } = recorder({}, 'Receiving objects:  50% (1/2)\rReceiving objects: 100% (2/2), 1.00 KiB | 1.00 KiB/s, done.\n');
    const seen: GitProgress[] = [];
    const signal = new AbortController().signal;
    const env = configEnv([['http.https://bitbucket.example.com/.extraHeader', 'Authorization: Bearer t']]);
    const outcome = await cloneRepository({ url, directory: path.join(temp.path, 'p'), runner, signal, env, onProgress: (p) => seen.push(p) });
    expect(outcome).toEqual({ engine: 'native', directory: path.join(temp.path, 'p') });
    expect(seen.map((p) => p.phase)).toEqual(['receiving', 'receiving', 'done']);
    expect(calls[0]!.options).toMatchObject({ signal, env: { ...env, GIT_PROGRESS_DELAY: '0' } });
  });
});

describe('fetch', () => {
  const repo = '/work/repo';

  it('fetches a remote by name or a checked URL, refspecs after --', () => {
    expect(fetchArguments({ repository: repo, remote: 'origin', prune: true })).toEqual(['-C', repo, 'fetch', '--progress', '--prune', '--', 'origin']);
    expect(fetchArguments({ repository: repo, remote: url, refspecs: ['+refs/heads/main:refs/remotes/origin/main', '^refs/heads/wip'], tags: false })).toEqual([
      '-C',
      repo,
      'fetch',
      '--progress',
      '--no-tags',
      '--',
      url,
      '+refs/heads/main:refs/remotes/origin/main',
      '^refs/heads/wip',
    ]);
  });

  it.each([
    [{ remote: '/srv/other/repo.git' }, 'unsafe-url'],
    [{ remote: '../elsewhere' }, 'unsafe-url'],
    [{ remote: 'ext::sh -c id' }, 'unsafe-url'],
    [{ remote: '-uorigin' }, 'invalid-argument'],
    [{ remote: 'origin', refspecs: ['--upload-pack=touch /tmp/x'] }, 'invalid-argument'],
    [{ remote: 'origin', refspecs: ['a b'] }, 'invalid-argument'],
    [{ remote: 'origin', repository: 'relative' }, 'invalid-argument'],
  ])('refuses %j (%s) before starting git', async (bad, kind) => {
    const { calls, runner } = recorder();
    await expect(fetchRemote({ repository: repo, ...bad, runner } as never)).rejects.toMatchObject({ kind });
    expect(calls).toEqual([]);
  });
});

describe('config, remote, refs, ls-remote', () => {
  const repo = '/work/repo';

  it('always ends options with -- before keys, values, remotes and URLs', async () => {
    const { calls, runner } = recorder({ stdout: 'v\0' });
    expect(await getConfig(repo, 'remote.origin.url', { runner })).toBe('v');
    await setConfig(repo, 'user.name', '--global', { runner });
    await setRemoteUrl(repo, 'origin', url, { push: true, runner });
    await lsRemote({ url, runner });
    expect(calls.map((c) => c.args)).toEqual([
      ['-C', repo, 'config', '--null', '--get', '--', 'remote.origin.url'],
      ['-C', repo, 'config', '--local', '--', 'user.name', '--global'],
      ['-C', repo, 'remote', 'set-url', '--push', '--', 'origin', url],
      ['ls-remote', '--heads', '--tags', '--', url],
    ]);
  });

  it('refuses bad names before starting git', async () => {
    const { calls, runner } = recorder();
    await expect(getConfig(repo, 'nodot', { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(setConfig(repo, 'a.b', 'x\0y', { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(setRemoteUrl(repo, '--push', url, { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(setRemoteUrl(repo, 'origin', 'file:///srv/repo.git', { runner })).rejects.toMatchObject({ kind: 'unsafe-url' });
    await expect(getRemoteUrls(repo, 'a b', { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(listLocalRefs(repo, ['--contains=HEAD'], { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(revParse(repo, '--all', { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(updateRef(repo, 'refs/heads/../x', 'a'.repeat(40), { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(updateRef(repo, 'main', 'a'.repeat(40), { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(updateRef(repo, 'refs/heads/x', 'HEAD', { runner })).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(lsRemote({ url: 'ext::x', runner })).rejects.toMatchObject({ kind: 'unsafe-url' });
    expect(calls).toEqual([]);
  });
});

describe('iso-clone arguments', () => {
  it('refuses ssh (isomorphic-git has none) and unsafe URLs', async () => {
    await expect(isoCloneRepository({ url: 'ssh://git@h:7999/p/r.git', directory: path.join(temp.path, 'iso') })).rejects.toMatchObject({ kind: 'protocol-not-allowed' });
    await expect(isoCloneRepository({ url: 'ext::sh', directory: path.join(temp.path, 'iso') })).rejects.toMatchObject({ kind: 'unsafe-url' });
  });

  it('reads extraHeader entries from a configEnv environment, scoped like git scopes them', () => {
    const env = configEnv([
      ['http.followRedirects', 'false'],
      ['http.https://bitbucket.example.com/.extraHeader', 'Authorization: Bearer for-the-primary'],
      ['http.https://mirror.example.com/.extraHeader', 'Authorization: Bearer for-the-mirror'],
      ['http.extraHeader', 'X-Everywhere: yes'],
    ]);
    expect(extraHeadersFor(env, url)).toEqual({ Authorization: 'Bearer for-the-primary', 'X-Everywhere': 'yes' });
    expect(extraHeadersFor(env, 'https://mirror.example.com/scm/proj/repo.git')).toEqual({ Authorization: 'Bearer for-the-mirror', 'X-Everywhere': 'yes' });
    expect(extraHeadersFor(env, 'https://bitbucket.example.com.evil.test/scm/proj/repo.git')).toEqual({ 'X-Everywhere': 'yes' });
  });
});
