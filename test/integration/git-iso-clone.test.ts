// The isomorphic-git fallback against the emulator: the same commits, refs and tree as a native
// clone of the same mirror, the same progress shape, credentials three ways, error kinds, cancel.
import { readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneRepository } from '../../electron/helper/git/clone';
import { bearerHeaderConfig, configEnv } from '../../electron/helper/git/environment';
import { isoCloneRepository } from '../../electron/helper/git/iso-clone';
import { phaseOrder, type GitProgress } from '../../electron/helper/git/progress';
import { listLocalRefs, revParse } from '../../electron/helper/git/refs';
import { runGit } from '../../electron/helper/git/runner';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { makeTempDir } from '../support/temp-dir';

let world: Topology;
let temp: { path: string; cleanup(): Promise<void> };
let counter = 0;
const fresh = (name = 'iso') => path.join(temp.path, `${name}-${++counter}`);
const token = () => ({ kind: 'token' as const, token: world.credentials.token });

beforeAll(async () => {
  temp = await makeTempDir('git-iso-clone');
  world = await startTopology({
    primary: { ssh: false },
    mirrors: [{ name: 'near' }, { name: 'slow', bandwidthBytesPerSec: 300_000 }],
    projects: [
      {
        key: 'PROJ',
        repos: [
          { slug: 'app', sizeBytes: 300_000, branches: ['develop', 'feature/x'], tags: ['v1.0', 'v1.1'], mirroredOn: ['near'] },
          { slug: 'big', sizeBytes: 5_000_000, files: 20, commits: 4, mirroredOn: ['slow'] },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await world?.stop();
  await temp?.cleanup();
});

describe('isoCloneRepository', () => {
  it('gives the same HEAD, branches, tags and tree as a native clone', async () => {
    const url = world.repo('PROJ', 'app').mirrorHttpUrl('near');
    const native = fresh('native');
    const iso = fresh();
    await cloneRepository({ url, directory: native, env: configEnv([bearerHeaderConfig(url, world.credentials.token)]) });
    const seen: GitProgress[] = [];
    const outcome = await isoCloneRepository({ url, directory: iso, credentials: token(), onProgress: (p) => seen.push(p) });
    expect(outcome).toEqual({ engine: 'isomorphic-git', directory: iso });

    expect(await revParse(iso, 'HEAD')).toBe(await revParse(native, 'HEAD'));
    expect(await revParse(iso, 'HEAD^{tree}')).toBe(await revParse(native, 'HEAD^{tree}'));
    const refsOf = async (dir: string) => {
      const refs = await listLocalRefs(dir, ['refs/remotes/origin/', 'refs/tags/']);
      refs.delete('refs/remotes/origin/HEAD');
      return [...refs].sort();
    };
    expect(await refsOf(iso)).toEqual(await refsOf(native));
    // Native git agrees the work tree matches the index isomorphic-git wrote.
    expect((await runGit(['-C', iso, 'status', '--porcelain'])).stdout).toBe('');
    expect(await readFile(path.join(iso, '.git', 'config'), 'utf8')).not.toContain(world.credentials.token);

    const phases = seen.map((p) => phaseOrder.indexOf(p.phase));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.value).toBeGreaterThanOrEqual(seen[i - 1]!.value);
    expect(seen.filter((p) => p.phase === 'receiving').at(-1)?.receivedBytes).toBeGreaterThan(200_000);
    expect(new Set(seen.map((p) => p.phase))).toEqual(new Set(['counting', 'compressing', 'receiving', 'resolving', 'checking-out', 'done']));
    expect(seen.at(-1)).toMatchObject({ phase: 'done', value: 1 });
  });

  it('takes the Bearer header from configEnv entries, and Basic credentials through onAuth', async () => {
    const url = world.repo('PROJ', 'app').mirrorHttpUrl('near');
    const viaEnv = fresh();
    await isoCloneRepository({ url, directory: viaEnv, env: configEnv([['http.followRedirects', 'false'], bearerHeaderConfig(url, world.credentials.token)]) });
    const viaPassword = fresh();
    await isoCloneRepository({ url, directory: viaPassword, credentials: { kind: 'password', username: world.credentials.user, password: world.credentials.password } });
    expect(await revParse(viaEnv, 'HEAD')).toBe(await revParse(viaPassword, 'HEAD'));
  });

  it('reports failures with the same kinds as the native engine', async () => {
    const url = world.repo('PROJ', 'app').mirrorHttpUrl('near');
    await expect(isoCloneRepository({ url, directory: fresh(), credentials: { kind: 'token', token: 'wrong-token-value' } })).rejects.toMatchObject({ kind: 'auth-failed' });
    await expect(isoCloneRepository({ url: `${world.primary.baseUrl}/scm/proj/nothing.git`, directory: fresh(), credentials: token() })).rejects.toMatchObject({
      kind: 'repository-not-found',
    });
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    await expect(isoCloneRepository({ url: `http://127.0.0.1:${port}/scm/proj/app.git`, directory: fresh(), credentials: token() })).rejects.toMatchObject({ kind: 'connection-refused' });
  });

  it('stops a download from a capped mirror promptly on abort and writes nothing afterwards', async () => {
    const url = world.repo('PROJ', 'big').mirrorHttpUrl('slow');
    const directory = fresh('iso-cancelled');
    const controller = new AbortController();
    let receiving: () => void = () => {};
    const receivingNow = new Promise<void>((resolve) => (receiving = resolve));
    const clone = isoCloneRepository({
      url,
      directory,
      credentials: token(),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'receiving' && (p.receivedBytes ?? 0) > 100_000) receiving();
      },
    });
    clone.catch(() => {});
    await receivingNow;
    const abortedAt = performance.now();
    controller.abort();
    await expect(clone).rejects.toMatchObject({ kind: 'cancelled' });
    const cancelMs = performance.now() - abortedAt;
    expect(cancelMs).toBeLessThan(2_000);
    console.info(`[git-iso-clone] cancelled ${cancelMs.toFixed(0)} ms after abort`);
    await rm(directory, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(stat(directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
