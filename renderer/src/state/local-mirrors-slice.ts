/**
 * The local mirrors domain: bare copies the helper keeps on this machine. The list follows the
 * helper's cache.mirror events (a sync starting, finishing, failing) without reloading; each
 * action has its own pending and error state per mirror. The disk quota is read from the
 * settings, never changed here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, LocalMirror } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type ActionState = { pending: true } | { pending: false; error?: ErrorInfo };
export type AddState = { state: 'pending'; repository: string } | { state: 'error'; repository: string; error: ErrorInfo } | { state: 'done'; mirror: LocalMirror };

export interface LocalMirrorsSlice {
  list?: LocalMirror[];
  loadError?: ErrorInfo;
  /** Whether this helper syncs in the background, and whether that is paused. */
  status?: { scheduled: boolean; paused: boolean };
  pausing?: ActionState;
  /** undefined until read; null: no limit set. */
  quotaBytes?: number | null;
  syncs: Record<string, ActionState>;
  removals: Record<string, ActionState>;
  adding?: AddState;
  /** Mirrors the helper removed to stay within the disk limit while this page was open, newest first. */
  evicted: string[];
  refresh(): Promise<void>;
  add(repository: string, primary?: string): Promise<boolean>;
  sync(id: string): Promise<void>;
  remove(id: string): Promise<boolean>;
  setPaused(paused: boolean): Promise<void>;
}

export function totalSize(list: LocalMirror[] | undefined): number {
  return (list ?? []).reduce((sum, mirror) => sum + (mirror.sizeBytes ?? 0), 0);
}

export function createLocalMirrorsSlice(client: HelperClient | undefined): StoreApi<LocalMirrorsSlice> {
  // No guard against late events about a removed mirror is needed: the helper announces nothing
  // about a mirror after its removal, and events arrive in order on one connection. (A guard
  // would hide the same repository added again later, from here or another window.)

  const store = createStore<LocalMirrorsSlice>()((set, get) => {
    const setSync = (id: string, state: ActionState) => set((current) => ({ syncs: { ...current.syncs, [id]: state } }));
    const setRemoval = (id: string, state: ActionState) => set((current) => ({ removals: { ...current.removals, [id]: state } }));

    return {
      syncs: {},
      removals: {},
      evicted: [],
      async refresh() {
        if (!client) return;
        const [list, status, settings] = await Promise.allSettled([client.call('cache.list', {}), client.call('cache.status', {}), client.call('settings.get', {})]);
        if (list.status === 'fulfilled') set({ list: list.value, loadError: undefined });
        else set({ loadError: toErrorInfo(list.reason) });
        if (status.status === 'fulfilled') set({ status: status.value });
        if (settings.status === 'fulfilled') set({ quotaBytes: settings.value.cacheQuotaBytes ?? null });
      },
      async add(repository, primary) {
        if (!client || get().adding?.state === 'pending') return false;
        set({ adding: { state: 'pending', repository } });
        try {
          const mirror = await client.call('cache.add', { repository, primary });
          upsert(mirror);
          set({ adding: { state: 'done', mirror } });
          // The add answers without the size; the list has it (and shows any mirror the quota removed).
          await get().refresh();
          return true;
        } catch (error) {
          set({ adding: { state: 'error', repository, error: toErrorInfo(error) } });
          return false;
        }
      },
      async sync(id) {
        if (!client || get().syncs[id]?.pending) return;
        setSync(id, { pending: true });
        try {
          const [mirror] = await client.call('cache.sync', { id });
          if (mirror) upsert(mirror);
          setSync(id, { pending: false });
        } catch (error) {
          setSync(id, { pending: false, error: toErrorInfo(error) });
        }
      },
      async remove(id) {
        if (!client || get().removals[id]?.pending) return false;
        setRemoval(id, { pending: true });
        try {
          await client.call('cache.remove', { id });
          set((current) => ({ list: current.list?.filter((mirror) => mirror.id !== id) }));
          setRemoval(id, { pending: false });
          return true;
        } catch (error) {
          setRemoval(id, { pending: false, error: toErrorInfo(error) });
          return false;
        }
      },
      async setPaused(paused) {
        if (!client || get().pausing?.pending) return;
        set({ pausing: { pending: true } });
        try {
          const result = await client.call('cache.pause', { paused });
          set((current) => ({ pausing: { pending: false }, status: { scheduled: current.status?.scheduled ?? true, paused: result.paused } }));
        } catch (error) {
          set({ pausing: { pending: false, error: toErrorInfo(error) } });
        }
      },
    };
  });
  if (client) {
    client.on('cache.mirror', ({ mirror }) => upsert(mirror));
    client.on('cache.mirrorRemoved', ({ id, reason }) => {
      store.setState((current) => {
        const gone = current.list?.find((mirror) => mirror.id === id);
        const evicted = reason === 'quota' && gone ? [`${gone.projectKey}/${gone.slug}`, ...current.evicted].slice(0, 5) : current.evicted;
        return { list: current.list?.filter((mirror) => mirror.id !== id), evicted };
      });
    });
    onEveryConnect(client, () => void store.getState().refresh());
  }
  return store;

  /** An event or an answer about one mirror: replaces it in place, keeping a size known before. */
  function upsert(mirror: LocalMirror) {
    store.setState((current) => {
      const list = current.list ?? [];
      const previous = list.find((entry) => entry.id === mirror.id);
      const merged = { ...mirror, sizeBytes: mirror.sizeBytes ?? previous?.sizeBytes };
      return { list: previous ? list.map((entry) => (entry.id === mirror.id ? merged : entry)) : [...list, merged] };
    });
  }
}
