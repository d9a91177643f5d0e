/**
 * Batches: many repositories cloned in one step (`clone.batchStart`), each an ordinary clone job
 * the clone-jobs slice also follows, with one overall progress fed by `clone.batch` events and
 * re-read with `clone.batches` on each (re)connect. The params each batch was started with are
 * kept so "Retry failed" can start a new batch of just the failed repositories, the same way.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BatchItem, CloneBatch, CloneBatchStartParams, HelperClient } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';
import { firstIfNew, withoutKey } from './records';

export interface CloneBatchesSlice {
  batches: Record<string, CloneBatch>;
  /** Newest first. */
  order: string[];
  params: Record<string, CloneBatchStartParams>;
  starting: boolean;
  startError?: ErrorInfo;
  /** A batch whose failures were retried: the batch that retries them. */
  retriedAs: Record<string, string>;
  retryErrors: Record<string, ErrorInfo>;
  cancelling: Record<string, boolean>;
  start(params: CloneBatchStartParams): Promise<string | undefined>;
  cancel(batchId: string): Promise<void>;
  /** A new batch of the failed (and cancelled) repositories of this one, into the same places. */
  retryFailed(batchId: string): Promise<string | undefined>;
  /** Removes a finished batch's card (its repositories' own cards go with it). */
  dismiss(batchId: string): void;
}

export const batchFinished = (batch: CloneBatch) => batch.finishedAt !== undefined;

/**
 * Folders a later batch has since cloned into (a retry, or the same list again): known from the
 * batches themselves, so it holds after a reload too.
 */
export function clonedSince(batch: CloneBatch, batches: Readonly<Record<string, CloneBatch>>): Set<string> {
  const later = Object.values(batches).filter((other) => other.startedAt > batch.startedAt);
  return new Set(later.flatMap((other) => other.items.flatMap((item) => (item.state === 'done' ? [item.path] : []))));
}

/** Repositories a retry would clone again: those that failed or were cancelled, and not cloned since. */
export function unfinishedItems(batch: CloneBatch, batches: Readonly<Record<string, CloneBatch>> = {}): BatchItem[] {
  const since = clonedSince(batch, batches);
  return batch.items.filter((item) => (item.state === 'failed' || item.state === 'cancelled') && !since.has(item.path));
}

export function createCloneBatchesSlice(client: HelperClient | undefined): StoreApi<CloneBatchesSlice> {
  // The helper keeps finished batches for a while; one dismissed here stays gone after a re-read.
  const dismissed = new Set<string>();
  const store = createStore<CloneBatchesSlice>()((set, get) => {
    const begin = async (params: CloneBatchStartParams): Promise<CloneBatch> => {
      const batch = await client!.call('clone.batchStart', params);
      // The first events may have come before the answer: keep whichever is newer.
      set((state) => ({
        batches: { ...state.batches, [batch.batchId]: state.batches[batch.batchId] ?? batch },
        order: firstIfNew(state.order, batch.batchId),
        params: { ...state.params, [batch.batchId]: params },
      }));
      return batch;
    };
    return {
      batches: {},
      order: [],
      params: {},
      starting: false,
      retriedAs: {},
      retryErrors: {},
      cancelling: {},
      async start(params) {
        if (!client) return undefined;
        set({ starting: true, startError: undefined });
        try {
          const batch = await begin(params);
          set({ starting: false });
          return batch.batchId;
        } catch (error) {
          set({ starting: false, startError: toErrorInfo(error) });
          return undefined;
        }
      },
      async cancel(batchId) {
        if (!client) return;
        set((state) => ({ cancelling: { ...state.cancelling, [batchId]: true } }));
        try {
          await client.call('clone.batchCancel', { batchId });
        } catch {
          // The helper is away or the batch has just ended: its next event (or the re-read on
          // reconnect) shows where it stands.
        } finally {
          set((state) => ({ cancelling: { ...state.cancelling, [batchId]: false } }));
        }
      },
      async retryFailed(batchId) {
        const batch = get().batches[batchId];
        if (!client || !batch) return undefined;
        const earlier = get().params[batchId];
        const repositories = unfinishedItems(batch, get().batches).map((item) => item.repository);
        if (repositories.length === 0) return undefined;
        set((state) => ({ retryErrors: withoutKey(state.retryErrors, batchId) }));
        // A batch re-read after a reload lost its params: the batch says how it was asked for.
        const params: CloneBatchStartParams = {
          ...(earlier ?? { primary: batch.primary, parentDirectory: batch.parentDirectory, layout: batch.layout, protocol: batch.protocol }),
          projects: [],
          repositories,
          jobs: undefined,
        };
        try {
          const retry = await begin(params);
          set((state) => ({ retriedAs: { ...state.retriedAs, [batchId]: retry.batchId } }));
          return retry.batchId;
        } catch (error) {
          set((state) => ({ retryErrors: { ...state.retryErrors, [batchId]: toErrorInfo(error) } }));
          return undefined;
        }
      },
      dismiss(batchId) {
        dismissed.add(batchId);
        // Everything kept for it goes too: a dismissed batch is never shown or retried again.
        set((state) => ({
          batches: withoutKey(state.batches, batchId),
          order: state.order.filter((id) => id !== batchId),
          params: withoutKey(state.params, batchId),
          retriedAs: withoutKey(state.retriedAs, batchId),
          retryErrors: withoutKey(state.retryErrors, batchId),
          cancelling: withoutKey(state.cancelling, batchId),
        }));
      },
    };
  });

  const upsert = (batch: CloneBatch) => {
    store.setState((state) => ({
      batches: { ...state.batches, [batch.batchId]: batch },
      order: firstIfNew(state.order, batch.batchId),
    }));
  };
  if (client) {
    client.on('clone.batch', ({ batch }) => {
      // A dismissed batch stays gone, even if an event was already on its way.
      if (!dismissed.has(batch.batchId)) upsert(batch);
    });
    onEveryConnect(client, () => {
      void client.call('clone.batches', {}).then(
        (batches) => {
          const sorted = batches.filter((batch) => !dismissed.has(batch.batchId)).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
          store.setState((state) => ({
            batches: { ...state.batches, ...Object.fromEntries(sorted.map((batch) => [batch.batchId, batch])) },
            order: [...new Set([...state.order, ...sorted.map((batch) => batch.batchId)])],
          }));
        },
        () => {},
      );
    });
  }
  return store;
}
