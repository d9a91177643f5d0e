/**
 * The choice by expected clone time, through the helper against the emulator with shaped links
 * and real git: a near mirror two commits behind is still the source (the top-up brings the rest,
 * so `origin/*` equals the primary), until it has stayed behind without moving for longer than a
 * sync should take; a near mirror on a thin link loses to a farther, fatter one once a short
 * measurement has shown the difference, and the figure is remembered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { appendCommits } from '../fixtures/repogen/generate';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { oneNetwork } from '../support/clone-world';
import { makeTempDir } from '../support/temp-dir';
import { git } from '../support/git';
import { cloneAndWait } from '../support/clone-job';
import type { DiscoveryResult } from '../../shared/contract';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let keyring: TestKeyring;
let minutesPassed = 0;

const byName = (result: DiscoveryResult, name: string) => result.candidates.find((candidate) => candidate.name === name)!;

beforeAll(async () => {
  [topology, workspace, keyring] = await Promise.all([
    startTopology({
      primary: { delayMs: 60, bandwidthBytesPerSec: 1_500_000 },
      mirrors: [
        { name: 'near', delayMs: 2, frozen: true },
        { name: 'far', delayMs: 30, bandwidthBytesPerSec: 3_000_000 },
        { name: 'thin', delayMs: 1, bandwidthBytesPerSec: 700_000 },
      ],
      projects: [
        { key: 'PROJ', repos: [{ slug: 'app', sizeBytes: 10_000_000, commits: 10, seed: 'lag', mirroredOn: ['near', 'far'] }, { slug: 'media', sizeBytes: 10_000_000, commits: 10, seed: 'thin', mirroredOn: ['far', 'thin'] }] },
      ],
    }),
    makeTempDir('expected-time'),
    startTestKeyring(),
  ]);
  Object.assign(process.env, { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR, XDG_DATA_HOME: keyring.env.XDG_DATA_HOME });
  helper = await startInProcessHelper({
    environmentToken: topology.credentials.token,
    ...oneNetwork,
    measurementClock: () => Date.now() + minutesPassed * 60_000,
  });
  // Connected, so the primary's release is known and its sizes page is asked with the token.
  await helper.client.call('primaries.add', { baseUrl: topology.primary.baseUrl, credentials: { kind: 'token', token: topology.credentials.token } });
}, 180_000);

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
  await keyring?.stop();
});

const discover = (repository: string, options: { refresh?: boolean } = { refresh: true }) =>
  helper.client.call('discovery.run', { repository, primary: topology.primary.baseUrl, samples: 3, ...options });

describe('choosing by expected clone time', () => {
  it('clones from a near mirror two commits behind and tops up, so origin/* equals the primary', async () => {
    const repo = topology.repo('PROJ', 'app');
    const newHead = await appendCommits({ path: repo.diskPath, count: 2, message: 'not on the near mirror yet' });
    await topology.syncNow('far'); // commits written straight to disk reach mirrors only when synced
    const before = await discover('PROJ/app');
    expect(byName(before, 'near'), byName(before, 'near').reason).toMatchObject({ status: 'behind', behindRefs: ['refs/heads/main'], chosen: true, behindForMs: 0 });
    expect(before.reason).toContain('behind on 1 ref, the rest comes from the primary');

    const job = await cloneAndWait(helper.client, { repository: 'PROJ/app', primary: topology.primary.baseUrl, parentDirectory: workspace.path, folderName: 'app' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.source.name).toBe('near');
    expect(job.result!.toppedUpFromPrimary).toContain('refs/heads/main');
    const clonePath = path.join(workspace.path, 'app');
    const remoteRefs = await git(clonePath, 'for-each-ref', '--format=%(refname:lstrip=3) %(objectname)', 'refs/remotes/origin/');
    const primaryRefs = await git(repo.diskPath, 'for-each-ref', '--format=%(refname:lstrip=2) %(objectname)', 'refs/heads/');
    expect(remoteRefs.split('\n').filter((line) => !line.startsWith('HEAD ')).sort()).toEqual(primaryRefs.split('\n').sort());
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(newHead);
  });

  it('passes over the near mirror once it has been behind without moving for longer than a sync takes, and says why', async () => {
    minutesPassed += 11;
    const result = await discover('PROJ/app');
    expect(byName(result, 'near')).toMatchObject({ status: 'out-of-sync', chosen: false });
    expect(byName(result, 'near').reason).toBe('near has been behind the primary on 1 ref for 11 min without catching up: its sync looks broken.');
    expect(result.chosen, result.reason).toBe(topology.mirrors.far!.id);
    // Once it syncs, it is a source again.
    await topology.syncNow('near');
    const synced = await discover('PROJ/app');
    expect(byName(synced, 'near')).toMatchObject({ status: 'healthy', behindForMs: null, chosen: true });
  });

  it('measures a near thin mirror against a farther fat one, chooses the fat one, and remembers the figures', async () => {
    const first = await discover('PROJ/media');
    const thin = byName(first, 'thin');
    const far = byName(first, 'far');
    expect(first.decidedBy).toBe('expected-time');
    expect(first.chosen, first.reason).toBe(topology.mirrors.far!.id);
    expect(thin).toMatchObject({ throughputFrom: 'probe' });
    expect(thin.throughputBytesPerSec!).toBeLessThan(far.throughputBytesPerSec!);
    expect(thin.expectedMs!).toBeGreaterThan(far.expectedMs!);
    expect(first.reason).toMatch(/^far: (about \d+ s|under 5 s) at [\d.]+ MB\/s here; thin is closer but delivers [\d.]+ KB\/s \(about \d+ s\)$/);
    console.info(`[expected time] ${first.reason}; measurement transfers: ${JSON.stringify(first.throughputProbe)}; decided in ${first.durationMs} ms`);
    expect(first.throughputProbe).toMatchObject({ servers: expect.any(Number) });
    expect(first.throughputProbe!.bytes).toBeLessThan(3 * 4_200_000);

    // The next discovery on this network that is not asked to measure again needs no measurement
    // transfer: the figures are remembered.
    const second = await discover('PROJ/media', {});
    expect(second.throughputProbe).toBeNull();
    expect(second.chosen).toBe(topology.mirrors.far!.id);
    expect(byName(second, 'thin').throughputFrom).toBe('transfers');
  });
});
