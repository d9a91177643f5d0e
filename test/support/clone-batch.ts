/**
 * Batches as the helper publishes them, for tests of what shows, sums up or retries them: the
 * totals are the helper's own sums over the items (electron/helper/clone/batch/totals.ts), so a
 * test states only what it is about and its batch stays one the helper could send.
 */
import type { BatchItem, BatchTotals, CloneBatch } from '../../shared/contract';
import { totalsOf } from '../../electron/helper/clone/batch/totals';

/** One repository of a batch, in /src/<slug>. */
export function batchItem(repository: string, state: BatchItem['state'] = 'waiting', patch: Partial<BatchItem> = {}): BatchItem {
  return { repository, path: `/src/${repository.split('/')[1]}`, state, alreadyThere: false, ...patch };
}

/** A running batch of `items` into /src; `patch.totals` overrides single figures of the sums. */
export function cloneBatch(items: BatchItem[], patch: Omit<Partial<CloneBatch>, 'totals'> & { totals?: Partial<BatchTotals> } = {}): CloneBatch {
  const { totals, ...rest } = patch;
  return {
    batchId: 'b1',
    state: 'running',
    parentDirectory: '/src',
    layout: 'flat',
    protocol: 'http',
    concurrency: 2,
    concurrencyReason: '2 at once',
    items,
    startedAt: '2026-12-05T08:00:00Z',
    ...rest,
    totals: { ...totalsOf(items, [], 0), ...totals },
  };
}
