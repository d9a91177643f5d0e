/**
 * Clones kept warm (opt-in): fetched in the background and topped up from the primary, while the
 * working tree and the checked-out branch stay exactly as the user left them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { appendCommits } from '../fixtures/repogen/generate';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { git } from '../support/git';
import type { CloneJob } from '../../shared/contract';

let topology: Topology;
let keyring: TestKeyring;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, keyring, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 10 }, mirrors: [{ name: 'near', delayMs: 1, frozen: true }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }),
    startTestKeyring(),
    makeTempDir('warm-clones'),
  ]);
  Object.assign(process.env, { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR, XDG_DATA_HOME: keyring.env.XDG_DATA_HOME });
  delete process.env.MIRROR_CLONE_TOKEN;
  helper = await startInProcessHelper({ backgroundSync: { periodMs: 700, jitter: 0 } });
  process.env.MIRROR_CLONE_HOME = helper.dataDir; // where the clone's credential helper finds the primary
  await helper.client.call('primaries.add', { baseUrl: topology.primary.baseUrl, credentials: { kind: 'token', token: topology.credentials.token } });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await keyring?.stop();
  await workspace?.cleanup();
});

describe('warm clones', () => {
  it('moves origin/* to the primary in the background and never touches the working tree', async () => {
    const finished = new Map<string, CloneJob>();
    helper.client.on('clone.state', ({ job }) => job.finishedAt && finished.set(job.jobId, job));
    const { jobId } = await helper.client.call('clone.start', { repository: 'PROJ/repo', parentDirectory: workspace.path });
    while (!finished.has(jobId)) await new Promise((resolve) => setTimeout(resolve, 20));
    const clonePath = finished.get(jobId)!.result!.path;
    const headBefore = await git(clonePath, 'rev-parse', 'HEAD');

    expect(await helper.client.call('clones.setWarm', { path: clonePath, warm: true })).toMatchObject({ warm: true });
    const newHead = await appendCommits({ path: topology.repo('PROJ', 'repo').diskPath, count: 1, message: 'while the clone is warm' });

    const deadline = Date.now() + 8_000;
    while (Date.now() < deadline && (await git(clonePath, 'rev-parse', 'refs/remotes/origin/main')) !== newHead) await new Promise((resolve) => setTimeout(resolve, 150));
    const known = (await helper.client.call('clones.list', {})).find((clone) => clone.path === clonePath);
    expect(await git(clonePath, 'rev-parse', 'refs/remotes/origin/main'), JSON.stringify(known)).toBe(newHead);
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(headBefore);
    expect(await git(clonePath, 'status', '--porcelain')).toBe('');
    expect(known?.lastWarmAt).toBeDefined();
  });

  it('refuses a folder it does not know', async () => {
    await expect(helper.client.call('clones.setWarm', { path: workspace.path, warm: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
