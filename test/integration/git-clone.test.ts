// cloneRepository, fetchRemote and lsRemote with real git against the Bitbucket emulator (git
// http-backend behind shaping proxies): a Bearer token that never reaches argv or .git/config,
// progress, cancelling mid-transfer with the whole process group gone, and the error kinds.
import { execFileSync } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneRepository } from '../../electron/helper/git/clone';
import { bearerHeaderConfig, configEnv } from '../../electron/helper/git/environment';
import { fetchRemote } from '../../electron/helper/git/fetch';
import { lsRemote } from '../../electron/helper/git/ls-remote';
import { phaseOrder, type GitProgress } from '../../electron/helper/git/progress';
import { listLocalRefs, revParse } from '../../electron/helper/git/refs';
import { getRemoteUrls } from '../../electron/helper/git/remote';
import { runGit, type GitRunOptions } from '../../electron/helper/git/runner';
import { headsOf, createGitClient, type GitClient } from '../fixtures/bitbucket/git-client';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { appendCommits } from '../fixtures/repogen/generate';
import { makeTempDir } from '../support/temp-dir';
import { liveInGroup } from '../support/process-group';

let world: Topology;
let temp: { path: string; cleanup(): Promise<void> };
let inspect: GitClient;
let counter = 0;
const fresh = (name = 'clone') => path.join(temp.path, `${name}-${++counter}`);


/** A runner that records every argument list and environment, and git's pid. */
function spyRunner() {
  const calls: { args: string[]; env: Record<string, string> }[] = [];
  let pid = 0;
  const runner = (args: string[], options: GitRunOptions = {}) => {
    calls.push({ args, env: options.env ?? {} });
    return runGit(args, { ...options, onSpawn: (p) => (pid = p) });
  };
  return { calls, runner, pid: () => pid };
}

const tokenEnv = (url: string, token = world.credentials.token) => configEnv([bearerHeaderConfig(url, token)]);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  temp = await makeTempDir('git-clone');
  world = await startTopology({
    primary: { ssh: false },
    mirrors: [{ name: 'near' }, { name: 'slow', bandwidthBytesPerSec: 300_000 }, { name: 'cut' }],
    projects: [
      {
        key: 'PROJ',
        repos: [
          { slug: 'app', sizeBytes: 400_000, branches: ['develop'], tags: ['v1.0'], mirroredOn: ['near'] },
          { slug: 'big', sizeBytes: 6_000_000, files: 24, commits: 4, mirroredOn: ['slow', 'cut'] },
        ],
      },
    ],
  });
  inspect = await createGitClient({ workDir: path.join(temp.path, 'inspect') });
});

afterAll(async () => {
  await world?.stop();
  await temp?.cleanup();
});

describe('clone over HTTP with a Bearer token', () => {
  it('clones from the mirror; the token is in no argument, not in .git/config, and progress ends in done', async () => {
    const repo = world.repo('PROJ', 'app');
    const url = repo.mirrorHttpUrl('near');
    const directory = fresh();
    const spy = spyRunner();
    const seen: GitProgress[] = [];
    const outcome = await cloneRepository({ url, directory, env: tokenEnv(url), runner: spy.runner, onProgress: (p) => seen.push(p) });

    expect(outcome).toEqual({ engine: 'native', directory });
    expect(await revParse(directory, 'HEAD')).toBe((await headsOf(inspect, repo.diskPath))['refs/heads/main']);
    expect(await listLocalRefs(directory, ['refs/remotes/origin/develop', 'refs/tags/'])).toHaveProperty('size', 2);
    expect((await getRemoteUrls(directory, 'origin')).fetch).toBe(url);

    const token = world.credentials.token;
    expect(spy.calls).toHaveLength(1);
    expect(spy.calls[0]!.args.some((arg) => arg.includes(token))).toBe(false);
    expect(Object.entries(spy.calls[0]!.env).filter(([, value]) => value.includes(token)).map(([name]) => name)).toEqual(['GIT_CONFIG_VALUE_0']);
    expect(await readFile(path.join(directory, '.git', 'config'), 'utf8')).not.toContain(token);

    const phases = seen.map((p) => phaseOrder.indexOf(p.phase));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    expect(seen.map((p) => p.phase)).toContain('receiving');
    expect(seen.at(-1)).toMatchObject({ phase: 'done', value: 1 });
  });

  it('fetches what the mirror got since, by remote name and from a URL with refspecs', async () => {
    const repo = world.repo('PROJ', 'app');
    const url = repo.mirrorHttpUrl('near');
    const directory = fresh();
    await cloneRepository({ url, directory, env: tokenEnv(url) });
    const head = await appendCommits({ path: repo.diskPath, count: 2, bytesPerCommit: 50_000, seed: 'fetch-test' });
    await world.syncNow('near');

    const seen: GitProgress[] = [];
    await fetchRemote({ repository: directory, remote: 'origin', prune: true, env: tokenEnv(url), onProgress: (p) => seen.push(p) });
    expect(await revParse(directory, 'refs/remotes/origin/main')).toBe(head);
    expect(seen.at(-1)).toMatchObject({ phase: 'done', value: 1 });

    // A top-up straight from the primary, into a ref of our choosing.
    await fetchRemote({ repository: directory, remote: repo.httpUrl, refspecs: ['+refs/heads/main:refs/remotes/primary/main'], env: tokenEnv(repo.httpUrl) });
    expect(await revParse(directory, 'refs/remotes/primary/main')).toBe(head);
  });

  it('lists the remote refs with ls-remote, annotated tags peeled', async () => {
    const repo = world.repo('PROJ', 'app');
    const url = repo.mirrorHttpUrl('near');
    const refs = await lsRemote({ url, env: tokenEnv(url) });
    const heads = await headsOf(inspect, repo.mirrorDiskPath('near'));
    expect(refs.get('refs/heads/main')).toBe(heads['refs/heads/main']);
    expect(refs.get('refs/heads/develop')).toBe(heads['refs/heads/develop']);
    expect(refs.get('refs/tags/v1.0^{}')).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('failures', () => {
  it("wrong token: 'auth-failed'", async () => {
    const url = world.repo('PROJ', 'app').mirrorHttpUrl('near');
    const error = await cloneRepository({ url, directory: fresh(), env: tokenEnv(url, 'not-the-token-at-all') }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'auth-failed', command: 'clone', exitCode: 128 });
    expect(`${error.message}${error.stderrTail}`).not.toContain('not-the-token-at-all');
  });

  it("no such repository: 'repository-not-found'", async () => {
    const url = `${world.primary.baseUrl}/scm/proj/no-such-repo.git`;
    await expect(cloneRepository({ url, directory: fresh(), env: tokenEnv(url) })).rejects.toMatchObject({ kind: 'repository-not-found' });
  });

  it("nothing listening: 'connection-refused'", async () => {
    const url = `http://127.0.0.1:${await freePort()}/scm/proj/app.git`;
    await expect(cloneRepository({ url, directory: fresh(), env: tokenEnv(url) })).rejects.toMatchObject({ kind: 'connection-refused' });
  });

  it("a transfer cut mid-pack: 'network'", async () => {
    const url = world.repo('PROJ', 'big').mirrorHttpUrl('cut');
    world.setFault('cut', { kind: 'cut-after-bytes', bytes: 300_000 }, 'http');
    try {
      await expect(cloneRepository({ url, directory: fresh(), env: tokenEnv(url) })).rejects.toMatchObject({ kind: 'network' });
    } finally {
      world.setFault('cut', { kind: 'none' }, 'http');
    }
  });

  it("an ext:: URL is refused before git starts: 'unsafe-url'", async () => {
    const spy = spyRunner();
    await expect(cloneRepository({ url: 'ext::sh -c touch% /tmp/pwned-by-ext', directory: fresh(), runner: spy.runner })).rejects.toMatchObject({ kind: 'unsafe-url' });
    expect(spy.calls).toEqual([]);
  });

  it("a remote whose URL was changed to a local path is stopped by git itself: 'protocol-not-allowed'", async () => {
    const url = world.repo('PROJ', 'app').mirrorHttpUrl('near');
    const directory = fresh();
    await cloneRepository({ url, directory, env: tokenEnv(url) });
    execFileSync('git', ['-C', directory, 'config', 'remote.origin.url', world.repo('PROJ', 'app').diskPath]);
    await expect(fetchRemote({ repository: directory, remote: 'origin' })).rejects.toMatchObject({ kind: 'protocol-not-allowed' });
  });
});

describe('cancelling a clone', () => {
  it('abort while receiving from a capped mirror ends every git process, then rejects with cancelled', async () => {
    const url = world.repo('PROJ', 'big').mirrorHttpUrl('slow');
    const directory = fresh('cancelled');
    const controller = new AbortController();
    const spy = spyRunner();
    let receiving: (progress: GitProgress) => void = () => {};
    const receivingNow = new Promise<GitProgress>((resolve) => (receiving = resolve));
    const clone = cloneRepository({
      url,
      directory,
      env: tokenEnv(url),
      runner: spy.runner,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'receiving' && (p.receivedBytes ?? 0) > 0) receiving(p);
      },
    });
    clone.catch(() => {});
    const during = await receivingNow;
    const pgid = spy.pid();
    const before = liveInGroup(pgid);
    expect(before.length).toBeGreaterThanOrEqual(2); // git and git-remote-http at least
    // What `ps` shows of the running processes holds no token.
    for (const pid of before) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      expect(cmdline).not.toContain(world.credentials.token);
    }

    const abortedAt = performance.now();
    controller.abort();
    await expect(clone).rejects.toMatchObject({ kind: 'cancelled', command: 'clone' });
    const cancelMs = performance.now() - abortedAt;
    expect(liveInGroup(pgid)).toEqual([]);
    console.info(`[git-clone] cancel at ${during.receivedBytes} bytes: ${before.length} processes gone ${cancelMs.toFixed(0)} ms after abort`);

    // Nothing is left writing: once removed, the directory stays gone.
    await rm(directory, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(stat(directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
