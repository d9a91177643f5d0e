/**
 * Local mirrors in the background: they follow pushes within one period, a failing source is
 * retried with growing delays until it recovers, and a helper killed in the middle of a sync
 * leaves a mirror that the next helper repairs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { appendCommits } from '../fixtures/repogen/generate';
import { startInProcessHelper } from '../support/in-process-helper';
import { startHelperProcess } from '../support/helper-process';
import { connectClient } from '../support/websocket-client';
import { makeTempDir } from '../support/temp-dir';
import { git } from '../support/git';

let topology: Topology;

beforeAll(async () => {
  topology = await startTopology({
    primary: { delayMs: 10 },
    mirrors: [{ name: 'near', delayMs: 1 }],
    projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }, { slug: 'big', sizeBytes: 4_000_000, seed: 9 }] }],
  });
});

afterAll(async () => {
  await topology?.stop();
});

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('background sync of local mirrors', () => {
  it('follows pushes to the primary within one period', async () => {
    const helper = await startInProcessHelper({ environmentToken: topology.credentials.token, backgroundSync: { periodMs: 1_500, jitter: 0 } });
    try {
      const mirror = await helper.client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
      const head = await appendCommits({ path: topology.repo('PROJ', 'repo').diskPath, count: 1, message: 'pushed while the cache watches' });
      const started = Date.now();
      const synced = await eventually(() => git(mirror.path, 'rev-parse', 'refs/heads/main'), (oid) => oid === head, 4_000);
      expect(synced).toBe(head);
      expect(Date.now() - started).toBeLessThan(3_500);
    } finally {
      await helper.stop();
    }
  });

  it('checks consistency with the primary between syncs, and syncs only when they differ', async () => {
    const helper = await startInProcessHelper({ environmentToken: topology.credentials.token, backgroundSync: { periodMs: 600_000, checkEveryMs: 400, jitter: 0 } });
    try {
      const added = await helper.client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
      const checked = await eventually(() => helper.client.call('cache.list', {}), ([mirror]) => (mirror?.lastCheckAt ?? 0) > Date.parse(added.lastSyncAt!) + 300, 5_000);
      expect(checked[0]!.lastCheckAt).toBeGreaterThan(Date.parse(added.lastSyncAt!));
      expect(checked[0]!.lastSyncAt).toBe(added.lastSyncAt); // consistent: checked, not synced
      const head = await appendCommits({ path: topology.repo('PROJ', 'repo').diskPath, count: 1, message: 'found by the consistency check' });
      const repaired = await eventually(() => git(added.path, 'rev-parse', 'refs/heads/main'), (oid) => oid === head, 5_000);
      expect(repaired, JSON.stringify(await helper.client.call('cache.list', {}))).toBe(head);
    } finally {
      await helper.stop();
    }
  });

  it('retries a failing sync with growing delays, reports it, and recovers', async () => {
    const helper = await startInProcessHelper({ environmentToken: topology.credentials.token, backgroundSync: { periodMs: 400, jitter: 0, retry: { baseMs: 300, maxMs: 10_000, jitter: 0 } } });
    // Each failure's retry delay, as the helper announces it (the time until its next attempt).
    const retryDelays: number[] = [];
    helper.client.on('cache.mirror', ({ mirror }) => {
      if (mirror.state === 'failed' && mirror.failures && mirror.nextSyncAt) retryDelays[mirror.failures - 1] = mirror.nextSyncAt - Date.now();
    });
    try {
      await helper.client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
      topology.setFault('primary', { kind: 'refuse' }, 'http');
      topology.setFault('near', { kind: 'refuse' }, 'http');
      const failing = await eventually(() => helper.client.call('cache.list', {}), ([mirror]) => (mirror?.failures ?? 0) >= 3, 8_000);
      expect(failing[0]).toMatchObject({ state: 'failed', lastError: expect.any(String) });
      // 300, 600, 1200 ms: each delay about twice the one before.
      const [first, second, third] = retryDelays;
      expect(second! - first!).toBeGreaterThan(200);
      expect(third! - second!).toBeGreaterThan(400);
      topology.setFault('primary', { kind: 'none' });
      topology.setFault('near', { kind: 'none' });
      const recovered = await eventually(() => helper.client.call('cache.list', {}), ([mirror]) => mirror?.state === 'ready', 15_000);
      expect(recovered[0]).toMatchObject({ state: 'ready', failures: 0 });
    } finally {
      topology.setFault('primary', { kind: 'none' });
      topology.setFault('near', { kind: 'none' });
      await helper.stop();
    }
  }, 40_000);

  it('a helper killed during a sync leaves a mirror the next helper repairs', async () => {
    const home = await makeTempDir('cache-kill');
    const env = { MIRROR_CLONE_TOKEN: topology.credentials.token };
    let helper = await startHelperProcess({ home: home.path, env });
    try {
      let { client, socket } = await connectClient(helper.address.url, helper.address.token);
      const mirror = await client.call('cache.add', { repository: 'PROJ/big', primary: topology.primary.baseUrl });
      socket.close();
      const head = await appendCommits({ path: topology.repo('PROJ', 'big').diskPath, count: 2, bytesPerCommit: 3_000_000, message: 'a big change' });
      topology.setShape('near', { delayMs: 1, bandwidthBytesPerSec: 800_000 }, 'http');
      topology.setShape('primary', { delayMs: 10, bandwidthBytesPerSec: 800_000 }, 'http');

      ({ client, socket } = await connectClient(helper.address.url, helper.address.token));
      void client.call('cache.sync', { id: mirror.id }).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      helper.process.kill('SIGKILL');
      await new Promise((resolve) => helper.process.once('exit', resolve));
      topology.setShape('near', { delayMs: 1 }, 'http');
      topology.setShape('primary', { delayMs: 10 }, 'http');

      helper = await startHelperProcess({ home: home.path, env });
      ({ client, socket } = await connectClient(helper.address.url, helper.address.token));
      const repaired = await eventually(() => client.call('cache.list', {}), ([entry]) => entry?.state === 'ready' && entry.failures === 0, 30_000);
      socket.close();
      expect(repaired[0]!.state).toBe('ready');
      expect(await git(mirror.path, 'rev-parse', 'refs/heads/main')).toBe(head);
      expect(await git(mirror.path, 'fsck', '--no-dangling')).toBe('');
      const leftovers = (await readdir(path.dirname(mirror.path))).filter((entry) => entry.includes('.partial-'));
      expect(leftovers).toEqual([]);
    } finally {
      await helper.stop();
      await home.cleanup();
    }
  }, 90_000);
});
