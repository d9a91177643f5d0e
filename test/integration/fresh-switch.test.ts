/**
 * A switch asked for now measures now: on the same network, a mirror that slowed down is left
 * even though a measurement from a few minutes ago still calls it closest. Work nobody waits on
 * (the first view of a repository, background moves) keeps reusing that measurement, and a
 * reused one shows real medians for the servers it had ruled out early.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryResult } from '../../shared/contract';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { oneNetwork } from '../support/clone-world';
import { makeTempDir } from '../support/temp-dir';
import { cloneAndWait } from '../support/clone-job';
import { gitConfig } from '../support/git';

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let clonePath: string;
/** How far the measurement cache's clock runs ahead of the real one: tests let minutes pass. */
let minutesPassed = 0;

const probeRequests = () => topology.state.requestLog.filter((entry) => entry.path.endsWith('/status'));
const discover = (extra: { refresh?: boolean; maxAgeMs?: number } = {}) =>
  helper.client.call('discovery.run', { repository: 'PROJ/app', primary: topology.primary.baseUrl, samples: 3, ...extra });
const ruledOutEarly = (result: DiscoveryResult) => result.candidates.filter((candidate) => candidate.slowerThanMs !== null);

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 40 }, mirrors: [{ name: 'near', delayMs: 1 }, { name: 'mid', delayMs: 25 }], projects: [{ key: 'PROJ', repos: [{ slug: 'app', seed: 3 }] }] }),
    makeTempDir('fresh-switch'),
  ]);
  helper = await startInProcessHelper({
    environmentToken: topology.credentials.token,
    // One network throughout: what changes is how fast the mirrors answer, not where we are.
    ...oneNetwork,
    measurementClock: () => Date.now() + minutesPassed * 60_000,
  });
  const job = await cloneAndWait(helper.client, { repository: 'PROJ/app', primary: topology.primary.baseUrl, parentDirectory: workspace.path, folderName: 'app' });
  expect(job.result?.source.name).toBe('near');
  clonePath = job.result!.path;
}, 120_000);

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

describe('measurements reused and measured again', () => {
  it('a reused measurement shows medians for the servers it ruled out early, once they were measured to the end', async () => {
    const first = await discover({ refresh: true });
    const early = ruledOutEarly(first);
    // The primary is 40 ms each way against 1 ms for near: it cannot beat near and is ruled out.
    expect(early.map((candidate) => candidate.name)).toContain('Primary');
    expect(early.every((candidate) => candidate.rttMs === null)).toBe(true);

    // Measuring goes on in the background; once it is done, a reuse shows the full picture.
    await expect
      .poll(async () => {
        const reused = await discover();
        return reused.fromCache && early.every((candidate) => reused.candidates.find((row) => row.id === candidate.id)?.rttMs !== null);
      }, { timeout: 30_000, interval: 200 })
      .toBe(true);
    const reused = await discover();
    for (const candidate of early) {
      const row = reused.candidates.find((entry) => entry.id === candidate.id)!;
      expect(row, row.name).toMatchObject({ slowerThanMs: null, samples: expect.any(Array) });
      expect(row.samples).toHaveLength(3);
      // A real median of its own samples, not the lower bound that ruled it out.
      expect(row.rttMs).toBeGreaterThanOrEqual(Math.min(...row.samples));
      expect(row.rttMs).toBeLessThanOrEqual(Math.max(...row.samples));
    }
  });

  it('switch DIR measures again and moves to the mirror that became closest on the same network', async () => {
    // The old picture, a few minutes old: near is closest.
    const before = await discover({ refresh: true });
    expect(before.chosen).toBe(topology.mirrors.near!.id);
    // Until its background measuring is done, that discovery still sends probe requests.
    await expect.poll(async () => ruledOutEarly(await discover()).length, { timeout: 30_000, interval: 200 }).toBe(0);
    minutesPassed += 3;
    // Same network, same gateway: near's link slows down and mid's speeds up.
    topology.setShape('near', { delayMs: 60 });
    topology.setShape('mid', { delayMs: 1 });

    // What nobody waits on still takes the cached picture, without probing anything.
    topology.state.requestLog.length = 0;
    const firstView = await discover();
    expect(firstView).toMatchObject({ fromCache: true, chosen: topology.mirrors.near!.id });
    expect(probeRequests()).toEqual([]);

    const result = await helper.client.call('clones.switch', { path: clonePath, source: 'auto' });
    expect(result).toMatchObject({ changed: true, from: { name: 'near' }, to: { name: 'mid', kind: 'mirror' } });
    expect(result.reason).toMatch(/^mid: /);
    expect(probeRequests().length).toBeGreaterThan(0);
    expect(await gitConfig(clonePath, 'remote.origin.url')).toBe(topology.repo('PROJ', 'app').mirrorHttpUrl('mid'));
    expect(await gitConfig(clonePath, 'remote.origin.pushurl')).toBe(topology.repo('PROJ', 'app').httpUrl);
  });

  it('a switch that may reuse a measurement from earlier in its run probes nothing again', async () => {
    // As `switch --all` does for the clones after the first: the one it just measured will do.
    await expect.poll(async () => ruledOutEarly(await discover()).length, { timeout: 30_000, interval: 200 }).toBe(0);
    topology.state.requestLog.length = 0;
    const result = await helper.client.call('clones.switch', { path: clonePath, source: 'auto', maxAgeMs: 10 * 60_000 });
    expect(result).toMatchObject({ changed: false, to: { name: 'mid' } });
    expect(probeRequests()).toEqual([]);
  });

  it('a negative maximum age is refused, naming the parameter and the accepted range', async () => {
    await expect(helper.client.call('clones.switch', { path: clonePath, source: 'auto', maxAgeMs: -1 })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      details: { issues: [{ path: 'maxAgeMs', message: expect.stringMatching(/>=\s*0/) }] },
    });
  });
});
