/** The local clones domain: what the helper knows it cloned, and switching each to the closest mirror. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, KnownClone, SwitchResult } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type SwitchState = { state: 'pending' } | { state: 'done'; result: SwitchResult } | { state: 'error'; error: ErrorInfo };

export interface ClonesSlice {
  list?: KnownClone[];
  loadError?: ErrorInfo;
  switches: Record<string, SwitchState>;
  refresh(): Promise<void>;
  switchToClosest(path: string): Promise<void>;
}

export function createClonesSlice(client: HelperClient | undefined): StoreApi<ClonesSlice> {
  const store = createStore<ClonesSlice>()((set, get) => ({
    switches: {},
    async refresh() {
      if (!client) return;
      try {
        set({ list: await client.call('clones.list', {}), loadError: undefined });
      } catch (error) {
        set({ loadError: toErrorInfo(error) });
      }
    },
    async switchToClosest(path) {
      if (!client) return;
      set((state) => ({ switches: { ...state.switches, [path]: { state: 'pending' } } }));
      try {
        const result = await client.call('clones.switch', { path, source: 'auto' });
        set((state) => ({ switches: { ...state.switches, [path]: { state: 'done', result } } }));
        await get().refresh();
      } catch (error) {
        set((state) => ({ switches: { ...state.switches, [path]: { state: 'error', error: toErrorInfo(error) } } }));
      }
    },
  }));
  if (client) onEveryConnect(client, () => void store.getState().refresh());
  return store;
}
