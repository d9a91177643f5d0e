import { describe, expect, it } from 'vitest';
import type { BatchItem, CloneBatch, HelperClient } from '../../shared/contract';
import { createCloneBatchesSlice } from '../../renderer/src/state/clone-batches-slice';
import { batchItem, cloneBatch } from '../support/clone-batch';

const item = (repository: string, state: BatchItem['state']) => batchItem(repository, state);
const batch = (batchId: string, items: BatchItem[], finished = true): CloneBatch =>
  cloneBatch(items, { batchId, layout: 'by-project', ...(finished ? { state: 'done', finishedAt: '2026-12-05T08:01:00Z' } : {}) });

/** A client that records batchStart calls and answers each with `answer(params)`; events are sent with `emit`. */
function recordingClient(answer: (params: Record<string, unknown>, count: number) => CloneBatch) {
  const starts: Record<string, unknown>[] = [];
  const handlers: Record<string, (payload: unknown) => void> = {};
  const client = {
    connectionState: 'disconnected',
    call: (method: string, params: Record<string, unknown>) => {
      if (method !== 'clone.batchStart') return Promise.resolve([]);
      starts.push(params);
      return Promise.resolve(answer(params, starts.length));
    },
    on: (event: string, handler: (payload: unknown) => void) => {
      handlers[event] = handler;
      return () => undefined;
    },
    onConnectionChange: () => () => undefined,
  } as unknown as HelperClient;
  return { client, starts, emit: (event: string, payload: unknown) => handlers[event]?.(payload) };
}

describe('clone batches slice', () => {
  it('retries the failed and cancelled repositories of a batch as a new batch, the same way, once', async () => {
    const { client, starts, emit } = recordingClient((params, count) => batch(`b${count}`, ((params.repositories as string[] | undefined) ?? []).map((name) => item(name, 'waiting')), false));
    const store = createCloneBatchesSlice(client);
    const first = await store.getState().start({ primary: 'https://bb', projects: ['CORE'], parentDirectory: '/src', layout: 'by-project', protocol: 'ssh' });
    expect(first).toBe('b1');
    emit('clone.batch', { batch: batch('b1', [item('CORE/a', 'done'), item('CORE/b', 'failed'), item('CORE/c', 'cancelled')]) });
    const retry = await store.getState().retryFailed('b1');
    expect(retry).toBe('b2');
    expect(starts[1]).toEqual({ primary: 'https://bb', projects: [], repositories: ['CORE/b', 'CORE/c'], parentDirectory: '/src', layout: 'by-project', protocol: 'ssh', jobs: undefined });
    expect(store.getState().order).toEqual(['b2', 'b1']);
    expect(store.getState().retriedAs).toEqual({ b1: 'b2' });
    store.getState().dismiss('b1');
    expect(store.getState()).toMatchObject({ order: ['b2'], retriedAs: {}, params: { b2: expect.anything() } });
    expect(Object.keys(store.getState().params)).toEqual(['b2']);
  });

  it('retries a batch it did not start (as after a reload) with the primary, protocol, folder and layout it was asked with', async () => {
    const { client, starts, emit } = recordingClient(() => batch('b2', [], false));
    const store = createCloneBatchesSlice(client);
    emit('clone.batch', { batch: cloneBatch([item('CORE/a', 'done'), item('CORE/b', 'failed')], { batchId: 'b1', state: 'done', finishedAt: '2026-12-05T08:01:00Z', primary: 'https://bb', protocol: 'ssh', layout: 'by-project', parentDirectory: '/work' }) });
    expect(await store.getState().retryFailed('b1')).toBe('b2');
    expect(starts).toEqual([{ primary: 'https://bb', projects: [], repositories: ['CORE/b'], parentDirectory: '/work', layout: 'by-project', protocol: 'ssh', jobs: undefined }]);
  });

  it('keeps a dismissed batch gone when a late event for it arrives', () => {
    const { client, emit } = recordingClient(() => batch('x', []));
    const store = createCloneBatchesSlice(client);
    emit('clone.batch', { batch: batch('b1', [item('CORE/a', 'done')]) });
    store.getState().dismiss('b1');
    emit('clone.batch', { batch: batch('b1', [item('CORE/a', 'done')]) });
    expect(store.getState().order).toEqual([]);
  });
});
