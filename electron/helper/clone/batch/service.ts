/**
 * `clone.batchStart`, `clone.batchCancel` and `clone.batches`. A batch outlives the request
 * that started it, like a clone job: a UI that reloads finds it again in `clone.batches`.
 */
import type { Handlers } from '../../rpc/dispatcher';
import { resolveBatchList, type ResolveListDeps } from './resolve-list';
import { startBatch, type BatchRunDeps, type RunningBatch } from './run-batch';

export type BatchServiceDeps = ResolveListDeps & BatchRunDeps;

/** Finished batches kept for a reconnecting UI. */
const keptFinishedBatches = 20;

export interface BatchService {
  handlers: Pick<Handlers, 'clone.batchStart' | 'clone.batchCancel' | 'clone.batches'>;
  /** Starts no more clones in any batch, cancels the running ones, and waits for them to end. */
  stopAll(): Promise<void>;
}

export function createBatchService(deps: BatchServiceDeps): BatchService {
  const batches = new Map<string, RunningBatch>();
  const forget = () => {
    const finished = [...batches.values()].filter((batch) => batch.snapshot().finishedAt);
    for (const old of finished.slice(0, Math.max(0, finished.length - keptFinishedBatches))) batches.delete(old.batchId);
  };
  return {
    handlers: {
      'clone.batchStart': async (params, { signal }) => {
        const targets = await resolveBatchList(params, deps, signal);
        const batch = await startBatch(params, targets, deps);
        batches.set(batch.batchId, batch);
        void batch.done.finally(forget);
        return batch.snapshot();
      },
      'clone.batchCancel': ({ batchId }) => ({ cancelled: batches.get(batchId)?.cancel() ?? false }),
      'clone.batches': () => [...batches.values()].map((batch) => batch.snapshot()),
    },
    async stopAll() {
      const running = [...batches.values()].filter((batch) => !batch.snapshot().finishedAt);
      for (const batch of running) batch.cancel();
      await Promise.allSettled(running.map((batch) => batch.done));
    },
  };
}
