/**
 * The SSH keys domain: the inventory (`keys.list`), one check against the servers of a
 * repository at a time (`keys.check`), making a key (`keys.generate`) and uploading one to the
 * primary (`keys.upload`), each with its own pending and error state.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, ResultOf } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type KeyCheck = ResultOf<'keys.check'>;
export type KeyInventory = ResultOf<'keys.list'>;
export type SshKey = KeyInventory['keys'][number];
export type KeyWarning = SshKey['warnings'][number];
type Generated = ResultOf<'keys.generate'>;

export type CallState<T> = { state: 'pending' } | { state: 'done'; result: T } | { state: 'error'; error: ErrorInfo };

export interface KeysSlice {
  inventory?: KeyInventory;
  loadError?: ErrorInfo;
  check?: CallState<KeyCheck> & { repository: string };
  generated?: CallState<Generated>;
  /** Per public key text. */
  uploads: Record<string, CallState<{ primaryBaseUrl: string }>>;
  refresh(): Promise<void>;
  runCheck(repository: string, primary?: string): Promise<void>;
  generate(): Promise<void>;
  upload(publicKey: string, primary?: string): Promise<void>;
}

export function createKeysSlice(client: HelperClient | undefined): StoreApi<KeysSlice> {
  let checkCounter = 0;
  const store = createStore<KeysSlice>()((set, get) => ({
    uploads: {},
    async refresh() {
      if (!client) return;
      try {
        set({ inventory: await client.call('keys.list', {}), loadError: undefined });
      } catch (error) {
        set({ loadError: toErrorInfo(error) });
      }
    },
    async runCheck(repository, primary) {
      if (!client) return;
      const run = ++checkCounter;
      set({ check: { state: 'pending', repository } });
      try {
        const result = await client.call('keys.check', { repository, primary });
        if (run === checkCounter) set({ check: { state: 'done', result, repository }, inventory: result.inventory });
      } catch (error) {
        if (run === checkCounter) set({ check: { state: 'error', error: toErrorInfo(error), repository } });
      }
    },
    async generate() {
      if (!client) return;
      set({ generated: { state: 'pending' } });
      try {
        const result = await client.call('keys.generate', {});
        set({ generated: { state: 'done', result } });
        await get().refresh();
      } catch (error) {
        set({ generated: { state: 'error', error: toErrorInfo(error) } });
      }
    },
    async upload(publicKey, primary) {
      if (!client) return;
      set((state) => ({ uploads: { ...state.uploads, [publicKey]: { state: 'pending' } } }));
      try {
        const result = await client.call('keys.upload', { publicKey, primary });
        set((state) => ({ uploads: { ...state.uploads, [publicKey]: { state: 'done', result } } }));
      } catch (error) {
        set((state) => ({ uploads: { ...state.uploads, [publicKey]: { state: 'error', error: toErrorInfo(error) } } }));
      }
    },
  }));
  if (client) onEveryConnect(client, () => void store.getState().refresh());
  return store;
}
