// listRemoteRefs and compareRefs against a real `git http-backend` (the emulator's CGI runner,
// behind a tiny node:http server of this test) serving two bare repositories: a primary and a
// mirror that is behind it in every way a mirror can be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { compareRefs, listRemoteRefs, RemoteRefsError } from '../../electron/helper/git/remote-refs';
import { NetworkError } from '../../electron/helper/net/network-error';
import { runGitHttpBackend } from '../../electron/helper/net/git-http-backend';
import { ProcessRegistry } from '../fixtures/bitbucket/process-registry';
import { startShapingProxy, type ShapingProxy } from '../fixtures/net/shaping-proxy';
import { makeTempDir } from '../support/temp-dir';

const gitEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
const gitAsync = promisify(execFile);

const user = { username: 'dev', password: 's3cret' };
const bearerToken = 'BBDC-token-123';

let temp: { path: string; cleanup(): Promise<void> };
let server: http.Server;
let baseUrl: string;
let stalledProxy: ShapingProxy;
const registry = new ProcessRegistry();
/** Every request the server saw: path and Authorization header. */
const seen: { url: string; authorization?: string }[] = [];

function commit(work: string, file: string, text: string): void {
  execFileSync('sh', ['-c', `printf '%s' "$1" > "$2"`, 'sh', text, file], { cwd: work });
  git(work, 'add', file);
  git(work, 'commit', '-q', '-m', `${file}: ${text}`);
}

/** primary.git and mirror.git share history; then the primary moves on and the mirror does not. */
function buildRepositories(root: string): void {
  const work = path.join(root, 'work');
  git(root, 'init', '-q', '-b', 'main', work);
  commit(work, 'a.txt', 'one');
  git(work, 'branch', 'feature');
  git(work, 'branch', 'gone');
  git(work, 'tag', '-a', '-m', 'release 1', 'v1');
  git(work, 'tag', 'light');
  for (const name of ['primary.git', 'mirror.git']) {
    git(root, 'init', '-q', '--bare', name);
    git(work, 'push', '-q', path.join(root, name), '--all');
    git(work, 'push', '-q', path.join(root, name), '--tags');
  }
  // Only the primary: main moves, a branch and a tag appear, v1 is re-tagged, `gone` is deleted.
  const primary = path.join(root, 'primary.git');
  commit(work, 'a.txt', 'two');
  git(work, 'branch', 'only-primary');
  git(work, 'tag', '-a', '-m', 'release 2', 'v2');
  git(work, 'tag', '-f', '-a', '-m', 'release 1, again', 'v1');
  git(work, 'push', '-q', primary, 'main', 'only-primary', 'v2');
  git(work, 'push', '-q', '-f', primary, 'v1');
  git(work, 'push', '-q', primary, '--delete', 'gone');
}

function authorized(header: string | undefined): boolean {
  const basic = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  return header === basic || header === `Bearer ${bearerToken}`;
}

beforeAll(async () => {
  temp = await makeTempDir('remote-refs');
  buildRepositories(temp.path);
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (url.pathname.startsWith('/moved.git/')) {
      res.writeHead(302, { Location: `http://127.0.0.1:1${url.pathname}` }).end();
      return;
    }
    // The primary wants credentials; the mirror reads anonymously.
    if (/^(\/v0)?\/primary\.git\//.test(url.pathname) && !authorized(req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    // Under /v0/, the same repositories as a server that speaks only protocol v0 (an old git).
    const onlyV0 = url.pathname.startsWith('/v0/');
    if (onlyV0) delete req.headers['git-protocol'];
    const pathInfo = onlyV0 ? url.pathname.slice('/v0'.length) : url.pathname;
    void runGitHttpBackend(req, res, url, { projectRoot: temp.path, pathInfo, receivePack: false, track: (child) => registry.track(child) });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  stalledProxy = await startShapingProxy({ targetPort: port, shape: { delayMs: 0 }, fault: { kind: 'stall' } });
});

afterAll(async () => {
  await stalledProxy?.stop();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await registry.killAll();
  await temp?.cleanup();
});

function parseLsRemote(output: string): Map<string, string> {
  return new Map(
    output
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [oid, ref] = line.split('\t');
        return [ref, oid] as [string, string];
      }),
  );
}

async function lsRemote(url: string): Promise<Map<string, string>> {
  const { stdout } = await gitAsync('git', ['-c', 'protocol.version=2', 'ls-remote', '--heads', '--tags', '--', url], { env: gitEnv });
  return parseLsRemote(stdout);
}

describe('listRemoteRefs', () => {
  it('lists heads and tags exactly like `git ls-remote --heads --tags`, peeled tags included', async () => {
    const url = `${baseUrl}/mirror.git`;
    const refs = await listRemoteRefs({ url });
    expect(refs).toEqual(await lsRemote(url));
    expect([...refs.keys()].sort()).toEqual(['refs/heads/feature', 'refs/heads/gone', 'refs/heads/main', 'refs/tags/light', 'refs/tags/v1', 'refs/tags/v1^{}']);
  });

  it('asks a protocol-v2 server in one request; a server that answers only v0 is listed the usual way, with the same result', async () => {
    seen.length = 0;
    const url = `${baseUrl}/mirror.git`;
    const inOne = await listRemoteRefs({ url });
    expect(seen.map((r) => r.url)).toEqual(['/mirror.git/git-upload-pack']);

    seen.length = 0;
    const usual = await listRemoteRefs({ url: `${baseUrl}/v0/mirror.git` });
    expect(seen.some((r) => r.url.startsWith('/v0/mirror.git/info/refs'))).toBe(true);
    expect(usual).toEqual(inOne);
    expect(usual).toEqual(await lsRemote(url));
  });

  it('compareRefs names exactly the refs where the mirror differs from the primary', async () => {
    const [primary, mirror] = await Promise.all([listRemoteRefs({ url: `${baseUrl}/primary.git`, auth: user }), listRemoteRefs({ url: `${baseUrl}/mirror.git` })]);
    expect(compareRefs(primary, mirror)).toEqual({
      behind: true,
      missing: ['refs/heads/only-primary', 'refs/tags/v2'],
      stale: ['refs/heads/main', 'refs/tags/v1'],
      extra: ['refs/heads/gone'],
    });
    expect(compareRefs(primary, primary)).toEqual({ behind: false, missing: [], stale: [], extra: [] });
  });

  it('Basic credentials go only in answer to a 401, never in a URL; Bearer goes as a header', async () => {
    seen.length = 0;
    await listRemoteRefs({ url: `${baseUrl}/primary.git`, auth: user });
    expect(seen.map((r) => [r.url, r.authorization?.split(' ')[0]])).toEqual([
      ['/primary.git/git-upload-pack', undefined], // answered 401
      ['/primary.git/git-upload-pack', 'Basic'],
    ]);
    for (const request of seen) expect(request.url).not.toContain(user.password);

    // The same on a server that needs the usual listing: once per listing.
    seen.length = 0;
    await listRemoteRefs({ url: `${baseUrl}/v0/primary.git`, auth: user });
    const discovery = seen.filter((r) => r.url.includes('/info/refs'));
    expect(discovery.filter((r) => r.authorization === undefined)).toHaveLength(2); // one per listing, answered 401
    expect(discovery.filter((r) => r.authorization?.startsWith('Basic '))).toHaveLength(2);

    seen.length = 0;
    const refs = await listRemoteRefs({ url: `${baseUrl}/primary.git`, auth: { bearerToken } });
    expect(refs.get('refs/heads/only-primary')).toMatch(/^[0-9a-f]{40}$/);
    expect(seen.every((r) => r.authorization === `Bearer ${bearerToken}`)).toBe(true);
  });

  it('a user name in the clone URL is dropped: the anonymous mirror sees no Authorization', async () => {
    seen.length = 0;
    await listRemoteRefs({ url: `${baseUrl.replace('http://', 'http://dev@')}/mirror.git` });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.authorization === undefined)).toBe(true);
  });

  it.each([
    ['wrong password', { username: 'dev', password: 'nope' }],
    ['no credentials', undefined],
  ])('%s on the primary is a RemoteRefsError of kind auth', async (_name, auth) => {
    const failure = await listRemoteRefs({ url: `${baseUrl}/primary.git`, auth }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteRefsError);
    expect(failure).toMatchObject({ kind: 'auth', status: 401 });
  });

  it('a redirect is not followed; a missing repository is not-found', async () => {
    await expect(listRemoteRefs({ url: `${baseUrl}/moved.git`, auth: { bearerToken } })).rejects.toMatchObject({ kind: 'redirect', status: 302 });
    await expect(listRemoteRefs({ url: `${baseUrl}/nothing-here.git` })).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('refuses URLs that are not http(s) or that carry a password, before any request', async () => {
    const count = seen.length;
    for (const url of ['ssh://git@127.0.0.1/x.git', 'file:///tmp/x.git', `${baseUrl.replace('http://', 'http://dev:s3cret@')}/primary.git`, 'not a url']) {
      const failure = await listRemoteRefs({ url }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NetworkError);
      expect((failure as NetworkError).kind).toBe('bad-url');
      expect((failure as NetworkError).message).not.toContain('s3cret');
    }
    expect(seen.length).toBe(count);
  });

  it('a server that never answers: the deadline ends it, and so does the caller’s signal', async () => {
    const url = `http://127.0.0.1:${stalledProxy.port}/mirror.git`;
    let started = performance.now();
    await expect(listRemoteRefs({ url, timeoutMs: 300 })).rejects.toMatchObject({ kind: 'timeout' });
    const timedOutAfter = performance.now() - started;
    expect(timedOutAfter).toBeGreaterThanOrEqual(295);
    expect(timedOutAfter).toBeLessThan(1_000);

    const controller = new AbortController();
    started = performance.now();
    setTimeout(() => controller.abort(), 100);
    await expect(listRemoteRefs({ url, signal: controller.signal })).rejects.toMatchObject({ kind: 'aborted' });
    expect(performance.now() - started).toBeLessThan(600);
    // The requests themselves were aborted too: nothing is left open through the proxy.
    const closed = await new Promise<boolean>((resolve) => {
      const until = performance.now() + 2_000;
      const poll = () => (stalledProxy.openConnections === 0 ? resolve(true) : performance.now() > until ? resolve(false) : setTimeout(poll, 10));
      stalledProxy.setFault({ kind: 'none' }); // a stalled link forwards no close; lift the stall to see ours
      poll();
    });
    expect(closed).toBe(true);
  });

  it('in-process listing vs a `git ls-remote` process (printed, not asserted)', async () => {
    const url = `${baseUrl}/mirror.git`;
    const time = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < 7; round += 1) {
      ours.push(await time(() => listRemoteRefs({ url })));
      theirs.push(await time(() => lsRemote(url)));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(`listRemoteRefs ${median(ours).toFixed(1)} ms median (min ${Math.min(...ours).toFixed(1)}), git ls-remote ${median(theirs).toFixed(1)} ms median (min ${Math.min(...theirs).toFixed(1)}), loopback, 7 rounds`);
  });
});
