/**
 * A "mirror" that streams an endless pack: the clone (and a local mirror) cuts it off at its byte
 * budget with a message naming it, removes what it had written, and continues from the primary.
 */
import { formatBytes } from '../../shared/format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startHostileServer, type HostileServer } from '../fixtures/net/hostile-server';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { cloneAndWait } from '../support/clone-job';
import { git } from '../support/git';
import { createPrimariesStore } from '../../electron/helper/store/primaries-store';
import { TransferTooLargeError, transferLimitBytes, watchTransfer } from '../../electron/helper/transfer/transfer-budget';
import { isoCloneRepository } from '../../electron/helper/git/iso-clone';

let topology: Topology;
let hostile: HostileServer;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 2 }, mirrors: [], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }),
    makeTempDir('transfer-bounds'),
  ]);
  // The hostile mirror advertises exactly the primary's refs, so it looks up to date.
  const listed = await git(topology.repo('PROJ', 'repo').diskPath, 'show-ref', '--head', '--dereference');
  const refs = listed.split('\n').filter(Boolean).map((line) => line.split(' ').reverse() as [string, string]);
  hostile = await startHostileServer('endless-pack', { refs });
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, cloneRetry: { attemptsPerSource: 2, backoff: { baseMs: 10, maxMs: 10, jitter: 0 } } }, async (dataDir) => {
    createPrimariesStore(dataDir).put({
      baseUrl: topology.primary.baseUrl, name: 'Primary', version: '8.19.1', authKind: 'token', username: topology.credentials.user,
      addedAt: new Date().toISOString(), manualMirrors: [{ name: 'Hostile', baseUrl: hostile.baseUrl }], knownMirrors: [],
    });
  });
}, 120_000);

afterAll(async () => {
  await helper?.stop();
  await hostile?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

describe('a source that sends an endless pack', () => {
  it('is cut off at the budget with a message naming it, and the clone continues from the primary and succeeds', async () => {
    // The primary knows the repository's size here, so the budget is twice it plus 100 MiB; the
    // setting is what would apply to a repository of unknown size.
    await helper.client.call('settings.update', { maxTransferBytes: 48 * 1024 ** 2 });
    const parent = path.join(workspace.path, 'clone');
    await mkdir(parent);
    const sentBefore = hostile.sentBytes;
    const job = await cloneAndWait(helper.client, { repository: 'PROJ/repo', primary: topology.primary.baseUrl, parentDirectory: parent, source: 'Hostile' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.source.kind).toBe('primary');

    const discovery = await helper.client.call('discovery.run', { repository: 'PROJ/repo', primary: topology.primary.baseUrl, samples: 1 });
    const limit = transferLimitBytes(discovery.repository.sizeBytes, 48 * 1024 ** 2);
    const cut = job.attempts.filter((attempt) => attempt.source.name === 'Hostile');
    // Asked once: a source over its budget is not asked again.
    expect(cut).toHaveLength(1);
    expect(cut[0]!.error).toMatch(new RegExp(`^Hostile \\(127\\.0\\.0\\.1\\) sent more than ${formatBytes(limit)} .*the transfer from it was stopped`));
    // It was stopped near its budget, not after the server tired.
    expect(hostile.sentBytes - sentBefore).toBeGreaterThan(limit);
    expect(hostile.sentBytes - sentBefore).toBeLessThan(limit + 512 * 1024 ** 2);
    // Nothing of the cut transfer is left: only the finished clone is in the folder.
    expect(await readdir(parent)).toEqual(['repo']);
    expect(await git(path.join(parent, 'repo'), 'rev-parse', 'HEAD')).toBe(await git(topology.repo('PROJ', 'repo').diskPath, 'rev-parse', 'refs/heads/main'));
  }, 180_000);

  it('is cut off the same way when it serves a local mirror, which then comes from the primary', async () => {
    const sentBefore = hostile.sentBytes;
    await helper.client.call('primaries.pin', { baseUrl: topology.primary.baseUrl, candidate: `manual:${hostile.baseUrl}` });
    const mirror = await helper.client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
    expect(mirror).toMatchObject({ state: 'ready', source: { id: 'primary' } });
    expect(hostile.sentBytes - sentBefore).toBeGreaterThan(100 * 1024 ** 2);
    const folder = path.join(helper.dataDir, 'mirrors');
    expect((await readdir(folder)).filter((entry) => entry.includes('.partial-'))).toEqual([]);
  }, 180_000);

  it('is cut off the same way when cloned in process (no git binary), before isomorphic-git holds more than the budget', async () => {
    const listed = await git(topology.repo('PROJ', 'repo').diskPath, 'show-ref', '--head');
    const sideBand = await startHostileServer('endless-pack', { refs: listed.split('\n').filter(Boolean).map((line) => line.split(' ').reverse() as [string, string]), sideBand: true });
    try {
      const limitBytes = 32 * 1024 ** 2;
      const watch = await watchTransfer({ limitBytes, sizeKnown: false, serverName: 'Hostile (127.0.0.1)', signal: new AbortController().signal });
      const directory = path.join(workspace.path, 'in-process');
      const outcome = await isoCloneRepository({ url: `${sideBand.baseUrl}/scm/proj/repo.git`, directory, signal: watch.signal, onProgress: watch.onProgress }).then(
        () => undefined,
        (error: unknown) => watch.explain(error),
      );
      watch.stop();
      expect(outcome).toBeInstanceOf(TransferTooLargeError);
      expect((outcome as Error).message).toMatch(/^Hostile \(127\.0\.0\.1\) sent more than 34 MB/);
      expect(sideBand.sentBytes).toBeGreaterThan(limitBytes);
      expect(sideBand.sentBytes).toBeLessThan(limitBytes + 256 * 1024 ** 2);
    } finally {
      await sideBand.stop();
    }
  }, 120_000);
});
