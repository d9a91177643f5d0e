/**
 * What a screen of local mirrors lives on: cache.mirror events in order (syncing, then ready or
 * failed) with the size on disk; a Sync now that fails is retried on the schedule's backoff and
 * says when; cache.status tells whether background sync runs and is paused; a removal is
 * announced, so every open window drops the mirror.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMirror } from '../../shared/contract';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';

let topology: Topology;
let helper: InProcessHelper;
const events: LocalMirror[] = [];
const removals: { id: string; reason: string }[] = [];
/** Every event in arrival order: a removal must come after the mirror's last change. */
const arrivals: string[] = [];

beforeAll(async () => {
  topology = await startTopology({ primary: { delayMs: 5 }, mirrors: [{ name: 'near', delayMs: 1 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo', sizeBytes: 200_000 }] }] });
  // A long period: nothing runs on its own during the test, only what the test asks for.
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, backgroundSync: { periodMs: 60 * 60_000 } });
  helper.client.on('cache.mirror', ({ mirror }) => {
    events.push(mirror);
    arrivals.push(`${mirror.id} ${mirror.state}`);
  });
  helper.client.on('cache.mirrorRemoved', (removal) => {
    removals.push(removal);
    arrivals.push(`${removal.id} removed`);
  });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('local mirror events and status', () => {
  it('announces a Sync now as syncing, then ready, each with its size', async () => {
    const added = await helper.client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
    await settle();
    expect(events.at(-1)).toMatchObject({ id: added.id, state: 'ready', sizeBytes: expect.any(Number) });
    events.length = 0;

    const [synced] = await helper.client.call('cache.sync', { id: added.id });
    await settle();
    expect(events.map((event) => event.state)).toEqual(['syncing', 'ready']);
    expect(events[1]!.sizeBytes).toBeGreaterThan(100_000);
    // The next background sync is a period after this one.
    expect(synced!.nextSyncAt).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(synced!.failures).toBe(0);
  });

  it('a failing Sync now is marked failed with the reason and retried after a backoff, not an hour later', async () => {
    const [mirror] = await helper.client.call('cache.list', {});
    events.length = 0;
    topology.setFault('primary', { kind: 'refuse' });
    topology.setFault('near', { kind: 'refuse' });
    let failed: LocalMirror | undefined;
    try {
      [failed] = await helper.client.call('cache.sync', { id: mirror!.id });
    } finally {
      topology.setFault('primary', { kind: 'none' });
      topology.setFault('near', { kind: 'none' });
    }
    expect(failed).toMatchObject({ state: 'failed', failures: 1, lastError: expect.stringMatching(/\S/) });
    // The schedule's first backoff: about 30 s (with jitter), far sooner than the period.
    expect(failed!.nextSyncAt).toBeGreaterThan(Date.now() + 10_000);
    expect(failed!.nextSyncAt).toBeLessThan(Date.now() + 60_000);
    await settle();
    expect(events.map((event) => event.state)).toEqual(['syncing', 'failed']);

    const [again] = await helper.client.call('cache.sync', { id: mirror!.id });
    expect(again).toMatchObject({ state: 'ready', failures: 0 });
    expect(again!.lastError).toBeUndefined();
  });

  it('tells whether background sync runs and is paused', async () => {
    expect(await helper.client.call('cache.status', {})).toEqual({ scheduled: true, paused: false });
    await helper.client.call('cache.pause', { paused: true });
    expect(await helper.client.call('cache.status', {})).toEqual({ scheduled: true, paused: true });
    await helper.client.call('cache.pause', { paused: false });
    expect(await helper.client.call('cache.status', {})).toEqual({ scheduled: true, paused: false });
  });

  it('announces a removal after the mirror\'s last change, and only a real one', async () => {
    const [mirror] = await helper.client.call('cache.list', {});
    // A sync's announcement may still be on its way: it must arrive before the removal.
    void helper.client.call('cache.sync', { id: mirror!.id }).catch(() => {});
    expect(await helper.client.call('cache.remove', { id: mirror!.id })).toEqual({ removed: true });
    await settle();
    expect(removals).toEqual([{ id: mirror!.id, reason: 'removed' }]);
    expect(arrivals.at(-1)).toBe(`${mirror!.id} removed`);
    expect((await helper.client.call('cache.list', {})).map((entry) => entry.id)).not.toContain(mirror!.id);
    expect(await helper.client.call('cache.remove', { id: mirror!.id })).toEqual({ removed: false });
    await settle();
    expect(removals).toHaveLength(1);
  });
});
