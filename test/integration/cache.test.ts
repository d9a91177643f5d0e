/**
 * Local mirrors: kept by the helper, topped up from the primary, and used by later clones so that
 * only what the local copy lacks travels — without the clone depending on the cache afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { appendCommits } from '../fixtures/repogen/generate';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { git } from '../support/git';
import type { CloneJob } from '../../shared/contract';
import { serveCredentialConfig } from '../../electron/helper/cache/serve-access';

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 20 }, mirrors: [{ name: 'near', delayMs: 1 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo', sizeBytes: 3_000_000, seed: 5 }] }] }),
    makeTempDir('cache'),
  ]);
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

async function clone(folder: string): Promise<{ job: CloneJob; bytesFromMirror: number }> {
  const before = topology.mirrors.near!.proxy.bytesDownstream;
  const parent = path.join(workspace.path, folder);
  await mkdir(parent);
  const finished = new Map<string, CloneJob>();
  const off = helper.client.on('clone.state', ({ job }) => job.finishedAt && finished.set(job.jobId, job));
  const { jobId } = await helper.client.call('clone.start', { repository: 'PROJ/repo', parentDirectory: parent, primary: topology.primary.baseUrl, source: 'near' });
  while (!finished.has(jobId)) await new Promise((resolve) => setTimeout(resolve, 20));
  off();
  return { job: finished.get(jobId)!, bytesFromMirror: topology.mirrors.near!.proxy.bytesDownstream - before };
}

describe('local mirrors', () => {
  let withoutCache = 0;

  it('a clone without a local mirror takes the whole pack from the mirror', async () => {
    const { job, bytesFromMirror } = await clone('no-cache');
    expect(job.state).toBe('done');
    withoutCache = bytesFromMirror;
    expect(withoutCache).toBeGreaterThan(2_500_000);
  });

  it('adds a local mirror, lists it, and a later clone borrows its objects and does not depend on it', async () => {
    const mirror = await helper.client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
    expect(mirror).toMatchObject({ projectKey: 'PROJ', slug: 'repo', state: 'ready', source: { name: 'near' } });
    expect(await git(mirror.path, 'rev-parse', 'refs/heads/main')).toBe(await git(topology.repo('PROJ', 'repo').diskPath, 'rev-parse', 'refs/heads/main'));
    const [listed] = await helper.client.call('cache.list', {});
    expect(listed!.sizeBytes).toBeGreaterThan(2_500_000);

    const { job, bytesFromMirror } = await clone('with-cache');
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.reason).toContain('local mirror');
    expect(bytesFromMirror).toBeLessThan(withoutCache / 5);
    expect(existsSync(path.join(job.result!.path, '.git', 'objects', 'info', 'alternates'))).toBe(false);
    expect(await git(job.result!.path, 'fsck', '--no-dangling')).toBe('');
  });

  it('sync brings in what was pushed to the primary, even when the mirror has not caught up', async () => {
    topology.freezeMirror('near');
    const head = await appendCommits({ path: topology.repo('PROJ', 'repo').diskPath, count: 1, message: 'after the local mirror was made' });
    const [synced] = await helper.client.call('cache.sync', {});
    expect(synced).toMatchObject({ state: 'ready' });
    expect(await git(synced!.path, 'rev-parse', 'refs/heads/main')).toBe(head);
  });

  it('serves local mirrors read-only on 127.0.0.1 to git with our credential helper: a clone works, a push is refused', async () => {
    const served = await helper.client.call('cache.serve', {});
    const [entry] = served.mirrors;
    expect(entry!.url).toBe(`http://127.0.0.1:${served.port}/proj/repo.git`);
    const authenticated = serveCredentialConfig(served.port, served.credentialHelper).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
    const target = path.join(workspace.path, 'from-local');
    await git(workspace.path, ...authenticated, 'clone', '-q', entry!.url, target);
    expect(await git(target, 'rev-parse', 'HEAD')).toBe(await git(topology.repo('PROJ', 'repo').diskPath, 'rev-parse', 'refs/heads/main'));
    await git(target, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '--allow-empty', '-m', 'should not land');
    const push = await git(target, ...authenticated, 'push', 'origin', 'HEAD:main').then(() => 'pushed', (error: Error) => error.message);
    expect(push).toContain('read-only local mirror');
    expect((await helper.client.call('cache.serve', {})).port).toBe(served.port);
  });

  it('refuses a repository that does not exist, leaving nothing half-made', async () => {
    await expect(helper.client.call('cache.add', { repository: 'PROJ/missing', primary: topology.primary.baseUrl })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const mirrorsFolder = path.join(helper.dataDir, 'mirrors');
    expect((await readdir(mirrorsFolder)).filter((entry) => entry.includes('.partial-'))).toEqual([]);
    expect(await helper.client.call('cache.remove', { id: '0000000000000000' })).toEqual({ removed: false });
    await expect(helper.client.call('cache.sync', { id: '0000000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('removes a local mirror and its files', async () => {
    const [mirror] = await helper.client.call('cache.list', {});
    expect(await helper.client.call('cache.remove', { id: mirror!.id })).toEqual({ removed: true });
    expect(existsSync(mirror!.path)).toBe(false);
    expect(await helper.client.call('cache.list', {})).toEqual([]);
  });
});
