/**
 * A batch against a real link: the number of clones at once asked for is never exceeded; with
 * nothing known, one clone measures the link first, and a thin link (its bandwidth split among
 * parallel connections) gets fewer clones at once than a fat one; cancelling stops it cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CloneBatch } from '../../shared/contract';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { oneNetwork } from '../support/clone-world';
import { makeTempDir } from '../support/temp-dir';

const thinLink = 400_000;
let topology: Topology;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({
      primary: { delayMs: 40, bandwidthBytesPerSec: thinLink, sharedBandwidth: true, ssh: false },
      projects: [{ key: 'TEAM', repos: ['a', 'b', 'c', 'd', 'e'].map((slug, index) => ({ slug, sizeBytes: 400_000, seed: index })) }],
    }),
    makeTempDir('clone-batch-concurrency'),
  ]);
});

afterAll(async () => {
  await topology?.stop();
  await workspace?.cleanup();
});

/** Runs a batch to its end in a fresh helper (nothing known of the link), watching how many cloned at once. */
async function runBatch(into: string, jobs?: number): Promise<{ batch: CloneBatch; mostAtOnce: number; firstAlone: boolean }> {
  const helper: InProcessHelper = await startInProcessHelper({ environmentToken: topology.credentials.token, ...oneNetwork });
  try {
    let mostAtOnce = 0;
    let firstAlone = false;
    let finished: (batch: CloneBatch) => void = () => {};
    const done = new Promise<CloneBatch>((resolve) => (finished = resolve));
    helper.client.on('clone.batch', ({ batch }) => {
      const cloning = batch.items.filter((item) => item.state === 'cloning').length;
      mostAtOnce = Math.max(mostAtOnce, cloning);
      if (batch.concurrencyReason === 'one alone first, to measure the link') firstAlone ||= cloning === 1;
      if (batch.finishedAt) finished(batch);
    });
    await helper.client.call('clone.batchStart', { projects: ['TEAM'], primary: topology.primary.baseUrl, parentDirectory: path.join(workspace.path, into), jobs });
    return { batch: await done, mostAtOnce, firstAlone };
  } finally {
    await helper.stop();
  }
}

describe('batch concurrency', () => {
  it('never runs more than --jobs at once, and does run that many', async () => {
    const { batch, mostAtOnce } = await runBatch('asked', 2);
    expect(batch.totals).toMatchObject({ repositories: 5, done: 5, failed: 0 });
    expect(batch.concurrency).toBe(2);
    expect(mostAtOnce).toBe(2);
  });

  it('on a thin link, measures with one clone alone and then runs few at once; on a fat link, more', async () => {
    const thin = await runBatch('thin');
    expect(thin.batch.totals).toMatchObject({ done: 5, failed: 0 });
    expect(thin.firstAlone).toBe(true);
    expect(thin.batch.concurrencyReason).toMatch(/KB\/s per transfer/);
    expect(thin.batch.concurrency, thin.batch.concurrencyReason).toBeLessThanOrEqual(2);
    expect(thin.mostAtOnce).toBeLessThanOrEqual(thin.batch.concurrency!);

    topology.setShape('primary', { delayMs: 40 });
    try {
      const fat = await runBatch('fat');
      expect(fat.batch.totals).toMatchObject({ done: 5, failed: 0 });
      expect(fat.batch.concurrencyReason).toMatch(/B\/s per transfer/);
      // Set-up outweighs a transfer here: most of the four left after the measuring one go at once.
      expect(fat.batch.concurrency!, fat.batch.concurrencyReason).toBeGreaterThanOrEqual(3);
      expect(fat.batch.concurrency!).toBeGreaterThan(thin.batch.concurrency!);
    } finally {
      topology.setShape('primary', { delayMs: 40, bandwidthBytesPerSec: thinLink, sharedBandwidth: true });
    }
  });

  it('refuses a folder given as a relative path, or one a file stands in the way of, before cloning anything', async () => {
    const helper = await startInProcessHelper({ environmentToken: topology.credentials.token, ...oneNetwork });
    try {
      const start = (parentDirectory: string) => helper.client.call('clone.batchStart', { repositories: ['TEAM/a'], primary: topology.primary.baseUrl, parentDirectory });
      // Relative to whatever folder the helper runs in, it would land somewhere nobody chose.
      const relative = `batch-relative-${process.pid}`;
      await expect(start(relative)).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('full path') });
      expect(existsSync(path.resolve(relative))).toBe(false);
      const file = path.join(workspace.path, 'a-file');
      await writeFile(file, 'not a folder');
      await expect(start(path.join(file, 'below'))).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('is a file') });
      expect(await helper.client.call('clone.batches', {})).toEqual([]);
    } finally {
      await helper.stop();
    }
  });

  it('cancelling stops the running clones and starts no more; nothing is left of them', async () => {
    const helper = await startInProcessHelper({ environmentToken: topology.credentials.token, ...oneNetwork });
    try {
      const into = path.join(workspace.path, 'cancelled');
      let finished: (batch: CloneBatch) => void = () => {};
      const done = new Promise<CloneBatch>((resolve) => (finished = resolve));
      let cancelling: Promise<unknown> | undefined;
      helper.client.on('clone.batch', ({ batch }) => {
        if (!cancelling && batch.items.some((item) => item.state === 'cloning')) cancelling = helper.client.call('clone.batchCancel', { batchId: batch.batchId });
        if (batch.finishedAt) finished(batch);
      });
      await helper.client.call('clone.batchStart', { projects: ['TEAM'], primary: topology.primary.baseUrl, parentDirectory: into, jobs: 2 });
      const batch = await done;
      expect(await cancelling).toEqual({ cancelled: true });
      expect(batch.state).toBe('cancelled');
      expect(batch.totals).toMatchObject({ repositories: 5, done: 0, failed: 0, cancelled: 5 });
      expect(await readdir(into)).toEqual([]);
      expect((await helper.client.call('clone.batches', {})).map((known) => known.batchId)).toEqual([batch.batchId]);
    } finally {
      await helper.stop();
    }
  });
});
