// runGit and findGit with the real git binary: the environment git and its children see, typed
// failures, and stopping a whole process tree (git -> sh -> sleep, started through an alias that
// reaches git only through configEnv) on abort and on timeout.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearGitCache, findGit, resolveOnPath } from '../../electron/helper/git/version';
import { configEnv, GitError, runGit } from '../../electron/helper/git/runner';
import { makeTempDir } from '../support/temp-dir';
import { liveInGroup } from '../support/process-group';

let temp: { path: string; cleanup(): Promise<void> };
let repo: string;


async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `command` through sh from a git alias; resolves with git's pid once the tree is up. */
function startTree(command: string, options: { signal?: AbortSignal; timeoutMs?: number; killGraceMs?: number }) {
  let pid = 0;
  const run = runGit(['tree'], { ...options, env: configEnv([['alias.tree', `!${command}`]]), onSpawn: (p) => (pid = p) });
  run.catch(() => {});
  const started = waitFor(() => pid !== 0 && liveInGroup(pid).length >= 3, 10_000).then(() => pid);
  return { run, started };
}

beforeAll(async () => {
  temp = await makeTempDir('git-runner');
  repo = path.join(temp.path, 'repo');
  execFileSync('git', ['init', '-q', repo]);
});

afterAll(async () => {
  await temp?.cleanup();
});

describe('runGit', () => {
  it('returns stdout and the exit code', async () => {
    const result = await runGit(['--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^git version \d+\.\d+/);
  });

  it('gives git and its children the safe environment, without askpass or a foreign GIT_DIR', async () => {
    const baseEnv = { ...process.env, SSH_ASKPASS: '/usr/bin/ssh-askpass', GIT_DIR: '/nonexistent/.git', GIT_TERMINAL_PROMPT: '1' };
    const { stdout } = await runGit(['showenv'], { baseEnv, cwd: repo, env: configEnv([['alias.showenv', '!env']]) });
    const env = new Map(stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const));
    expect(env.get('GIT_TERMINAL_PROMPT')).toBe('0');
    expect(env.get('GIT_ALLOW_PROTOCOL')).toBe('https:http:ssh');
    expect(env.get('LC_ALL')).toBe('C');
    expect(env.get('GCM_INTERACTIVE')).toBe('never');
    expect(env.get('GIT_ASKPASS')).toBe('');
    expect(env.has('SSH_ASKPASS')).toBe(false);
    expect(env.get('GIT_DIR')).not.toBe('/nonexistent/.git');
    expect(env.get('PATH')!.endsWith(process.env.PATH!)).toBe(true); // git puts its exec path first
    expect(env.get('HOME')).toBe(process.env.HOME);
  });

  it('hands one-off config to one process only: it is seen, and not written to .git/config', async () => {
    const env = configEnv([['mirrorclone.probe', 'from-the-environment']]);
    expect((await runGit(['-C', repo, 'config', '--get', 'mirrorclone.probe'], { env })).stdout.trim()).toBe('from-the-environment');
    expect(await readFile(path.join(repo, '.git', 'config'), 'utf8')).not.toContain('from-the-environment');
    await expect(runGit(['-C', repo, 'config', '--get', 'mirrorclone.probe'])).rejects.toMatchObject({ exitCode: 1 });
  });

  it('accepts extra exit codes as answers', async () => {
    const result = await runGit(['-C', repo, 'config', '--get', 'no.such'], { successExitCodes: [0, 1] });
    expect(result.exitCode).toBe(1);
  });

  it('feeds stdin', async () => {
    const { stdout } = await runGit(['hash-object', '--stdin'], { stdin: 'hello\n' });
    expect(stdout.trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('throws a typed error with the subcommand and a redacted tail, never the arguments or env values', async () => {
    const secretUrl = 'https://dev:hunter2-secret@127.0.0.1:1/scm/p/r.git';
    const error: GitError = await runGit(['-C', temp.path, 'fetch', secretUrl], { env: { MY_TOKEN: 'hunter2-secret-value' } }).catch((e) => e);
    expect(error).toBeInstanceOf(GitError);
    expect(error.kind).toBe('not-a-repository');
    expect(error.command).toBe('fetch');
    expect(error.exitCode).toBe(128);
    expect(`${error.message}\n${error.stderrTail}`).not.toMatch(/hunter2|scm\/p\/r\.git/);
  });

  it("reports a missing binary as 'git-missing' and a missing cwd as 'invalid-argument'", async () => {
    await expect(runGit(['--version'], { git: { path: path.join(temp.path, 'no-git-here'), version: '2.40.0' } })).rejects.toMatchObject({ kind: 'git-missing' });
    await expect(runGit(['status'], { cwd: path.join(temp.path, 'missing-dir') })).rejects.toMatchObject({ kind: 'invalid-argument' });
  });

  it("refuses to send credentials through a git too old to receive them ('git-too-old')", async () => {
    const env = configEnv([['http.https://h/.extraHeader', 'Authorization: Bearer x']]);
    await expect(runGit(['--version'], { env, git: { path: 'git', version: '2.30.2' } })).rejects.toMatchObject({ kind: 'git-too-old' });
  });

  it('survives a stderr listener that throws', async () => {
    let calls = 0;
    const result = await runGit(['-C', repo, 'fsck', '--progress'], {
      onStderr: () => {
        calls++;
        throw new Error('listener bug');
      },
    });
    expect(calls).toBeGreaterThan(0);
    expect(result.exitCode).toBe(0);
  });

  it('does not start git for an already aborted signal', async () => {
    let spawned = false;
    const error = await runGit(['--version'], { signal: AbortSignal.abort(), onSpawn: () => (spawned = true) }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'cancelled' });
    expect(spawned).toBe(false);
  });
});

describe('stopping the process tree', () => {
  it("abort ends git and every descendant, and rejects with 'cancelled' only after they are gone", async () => {
    const controller = new AbortController();
    const tree = startTree('sleep 30 & sleep 30; wait', { signal: controller.signal });
    const pgid = await tree.started;
    expect(liveInGroup(pgid).length).toBeGreaterThanOrEqual(3); // git, sh, sleeps
    const abortedAt = performance.now();
    controller.abort();
    await expect(tree.run).rejects.toMatchObject({ kind: 'cancelled', command: 'tree' });
    const cancelMs = performance.now() - abortedAt;
    expect(liveInGroup(pgid)).toEqual([]);
    expect(cancelMs).toBeLessThan(2_000); // SIGTERM suffices: no wait for the SIGKILL grace
    console.info(`[git-runner] abort to rejection with the tree gone: ${cancelMs.toFixed(0)} ms`);
  });

  it('escalates to SIGKILL when the tree ignores SIGTERM', async () => {
    const controller = new AbortController();
    // An ignored signal stays ignored across exec, so the sleeps ignore SIGTERM too.
    const tree = startTree("trap '' TERM; sleep 30 & sleep 30; wait", { signal: controller.signal, killGraceMs: 400 });
    const pgid = await tree.started;
    const abortedAt = performance.now();
    controller.abort();
    await expect(tree.run).rejects.toMatchObject({ kind: 'cancelled' });
    expect(performance.now() - abortedAt).toBeGreaterThanOrEqual(390);
    expect(liveInGroup(pgid)).toEqual([]);
  });

  it("stops at timeoutMs with 'timeout'", async () => {
    let pid = 0;
    const startedAt = performance.now();
    const error = await runGit(['tree'], { env: configEnv([['alias.tree', '!sleep 30']]), timeoutMs: 300, onSpawn: (p) => (pid = p) }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(liveInGroup(pid)).toEqual([]);
  });
});

describe('findGit', () => {
  it('finds git on PATH as an absolute path with its version, and caches the answer', async () => {
    clearGitCache();
    const first = findGit();
    const found = await first;
    expect(found?.version).toMatch(/^\d+\.\d+(\.\d+)?$/);
    expect(path.isAbsolute(found!.path)).toBe(true);
    expect(findGit()).toBe(first);
  });

  it('honours an explicit path, and answers undefined for something that is not git', async () => {
    const fake = path.join(temp.path, 'bin', 'git');
    await mkdir(path.dirname(fake), { recursive: true });
    await writeFile(fake, '#!/bin/sh\necho "git version 2.30.2"\n');
    await chmod(fake, 0o755);
    expect(await findGit({ path: fake })).toEqual({ path: fake, version: '2.30.2' });
    expect(await resolveOnPath(`relative/bin:${path.dirname(fake)}:/usr/bin`)).toBe(fake);

    const notGit = path.join(temp.path, 'bin', 'not-git');
    await writeFile(notGit, '#!/bin/sh\necho hello\n');
    await chmod(notGit, 0o755);
    expect(await findGit({ path: notGit })).toBeUndefined();
    expect(await findGit({ path: path.join(temp.path, 'nothing') })).toBeUndefined();
    expect(await findGit({ searchPath: path.join(temp.path, 'empty-dir') })).toBeUndefined();
  });
});
