/**
 * Travelling: the helper notices the machine is on another network, says so, and switches the
 * warm clones to the mirror closest from the new place on its own (fetch from it, push still to
 * the primary). A clone that is not warm is left as it is, for the user to switch when told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchResult } from '../../shared/contract';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { cloneAndWait } from '../support/clone-job';
import { gitConfig } from '../support/git';

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
const where = { id: 'office', prefixCount: 1 };
const moves: string[] = [];
const switched: SwitchResult[] = [];
let warmPath: string;
let coldPath: string;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 40 }, mirrors: [{ name: 'near', delayMs: 1 }, { name: 'mid', delayMs: 10 }], projects: [{ key: 'PROJ', repos: [{ slug: 'app', seed: 5 }] }] }),
    makeTempDir('network-move'),
  ]);
  helper = await startInProcessHelper({
    environmentToken: topology.credentials.token,
    // Background rounds an hour apart: only the move starts one during the test.
    backgroundSync: { periodMs: 60 * 60_000 },
    networkIdentity: async () => ({ ...where }),
    networkWatch: { periodMs: 20, settleMs: 100 },
  });
  helper.client.on('network.moved', ({ at }) => moves.push(at));
  helper.client.on('clones.switched', ({ result }) => switched.push(result));
  for (const folderName of ['warm', 'cold']) {
    const job = await cloneAndWait(helper.client, { repository: 'PROJ/app', primary: topology.primary.baseUrl, parentDirectory: workspace.path, folderName });
    expect(job.result?.source.name).toBe('near');
  }
  [warmPath, coldPath] = [`${workspace.path}/warm`, `${workspace.path}/cold`];
  await helper.client.call('clones.setWarm', { path: warmPath, warm: true });
}, 120_000);

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

describe('after a move to another network', () => {
  it('is not announced while the machine stays where it is', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(moves).toEqual([]);
    expect(await helper.client.call('network.status', {})).toEqual({ watching: true });
  });

  it('switches the warm clone to the mirror closest from the new place, and leaves the other one', async () => {
    // The new place: the near mirror is far now, mid is closest.
    topology.setShape('near', { delayMs: 150 });
    where.id = 'hotel';
    await expect.poll(() => moves.length, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => switched.length, { timeout: 60_000 }).toBe(1);

    expect(switched[0]).toMatchObject({ path: warmPath, changed: true, from: { name: 'near' }, to: { name: 'mid' } });
    expect(await gitConfig(warmPath, 'remote.origin.url')).toBe(topology.repo('PROJ', 'app').mirrorHttpUrl('mid'));
    expect(await gitConfig(warmPath, 'remote.origin.pushurl')).toBe(topology.repo('PROJ', 'app').httpUrl);
    expect(await gitConfig(coldPath, 'remote.origin.url')).toBe(topology.repo('PROJ', 'app').mirrorHttpUrl('near'));

    const clones = await helper.client.call('clones.list', {});
    expect(clones.find((clone) => clone.path === warmPath)).toMatchObject({ warm: true, source: { name: 'mid' } });
    const status = await helper.client.call('network.status', {});
    expect(status.watching).toBe(true);
    expect(Math.abs(Date.parse(status.movedAt!) - Date.parse(moves[0]!))).toBeLessThan(1_000);
  });
});
