import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DestinationCheck, HelperClient } from '../../shared/contract';
import { createCloneDestinationSlice } from '../../renderer/src/state/clone-destination-slice';

interface Call {
  method: string;
  params: Record<string, unknown>;
  signal?: AbortSignal;
  resolve(value: unknown): void;
}

function scriptedClient() {
  const calls: Call[] = [];
  const client = {
    call: (method: string, params: Record<string, unknown>, options: { signal?: AbortSignal } = {}) => new Promise((resolve) => calls.push({ method, params, signal: options.signal, resolve })),
  } as unknown as HelperClient;
  return { client, calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const request = (parentDirectory: string, name = '') => ({ parentDirectory, name, repository: { primaryBaseUrl: 'https://bb.example.com', projectKey: 'PROJ', slug: 'app' } });
const ok = (path: string): DestinationCheck => ({ state: 'ok', path, emptyFolder: false });

describe('clone destination checks', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('asks once typing pauses, cancels the question before, and keeps only the latest verdict', async () => {
    const { client, calls } = scriptedClient();
    const store = createCloneDestinationSlice(client, { debounceMs: 250 });
    store.getState().check(request('/h'));
    vi.advanceTimersByTime(100);
    store.getState().check(request('/home'));
    expect(calls).toHaveLength(0);
    expect(store.getState().pending).toBe(true);
    vi.advanceTimersByTime(250);
    expect(calls.map((call) => call.params.parentDirectory)).toEqual(['/home']);
    store.getState().check(request('/home/me'));
    vi.advanceTimersByTime(250);
    expect(calls[0]!.signal!.aborted).toBe(true);
    calls[0]!.resolve(ok('/home/app'));
    calls[1]!.resolve(ok('/home/me/app'));
    await settle();
    expect(store.getState()).toMatchObject({ pending: false, request: request('/home/me'), result: ok('/home/me/app') });
    // The same fields again: nothing to ask.
    store.getState().check(request('/home/me'));
    vi.advanceTimersByTime(250);
    expect(calls).toHaveLength(2);
  });

  it('answers a check made right before Clone, and creates a missing parent then checks again', async () => {
    const { client, calls } = scriptedClient();
    const store = createCloneDestinationSlice(client);
    const verdict = store.getState().checkNow(request('/new/place'));
    expect(calls).toHaveLength(1);
    const missing: DestinationCheck = { state: 'parent-missing', path: '/new/place/app', parent: '/new/place' };
    calls[0]!.resolve(missing);
    expect(await verdict).toEqual(missing);

    const creating = store.getState().createParent();
    expect(calls[1]).toMatchObject({ method: 'clone.createFolder', params: { path: '/new/place' } });
    calls[1]!.resolve({ path: '/new/place' });
    await creating;
    expect(calls[2]).toMatchObject({ method: 'clone.checkDestination', params: request('/new/place') });
    calls[2]!.resolve(ok('/new/place/app'));
    await settle();
    expect(store.getState().result).toEqual(ok('/new/place/app'));
  });
});
