/**
 * The activity domain: what the helper did (clones, switches, failed syncs) with when and why,
 * read with `activity.list` on every (re)connect and kept current by `activity.added`. The
 * helper keeps the history, so a reload or a helper restart loses nothing.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActivityEntry, HelperClient } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export interface ActivitySlice {
  /** Newest first; undefined until the helper first answered. */
  entries?: ActivityEntry[];
  loadError?: ErrorInfo;
  refresh(): Promise<void>;
}

export function createActivitySlice(client: HelperClient | undefined): StoreApi<ActivitySlice> {
  const store = createStore<ActivitySlice>()((set) => ({
    async refresh() {
      if (!client) return;
      try {
        set({ entries: await client.call('activity.list', {}), loadError: undefined });
      } catch (error) {
        set({ loadError: toErrorInfo(error) });
      }
    },
  }));
  if (client) {
    onEveryConnect(client, () => void store.getState().refresh());
    client.on('activity.added', ({ entry }) => {
      store.setState((state) => (state.entries?.some((known) => known.id === entry.id) ? state : { entries: [entry, ...(state.entries ?? [])] }));
    });
  }
  return store;
}
