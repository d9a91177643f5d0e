/**
 * The primaries domain: which Bitbucket primaries are connected, and the "Connect a primary"
 * flow (check the address and token, then add it; the token goes to the OS keychain).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, PrimaryConnection, PrimarySummary } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type CheckState =
  | { state: 'idle' }
  | { state: 'pending'; key: string }
  | { state: 'ok'; key: string; connection: PrimaryConnection }
  | { state: 'error'; key: string; error: ErrorInfo };

export interface PrimariesSlice {
  /** undefined until the helper first answered. */
  list?: PrimarySummary[];
  loadError?: ErrorInfo;
  check: CheckState;
  adding: boolean;
  addError?: ErrorInfo;
  refresh(): Promise<void>;
  checkPrimary(baseUrl: string, token: string): Promise<void>;
  add(baseUrl: string, token: string): Promise<boolean>;
  resetCheck(): void;
}

const checkKey = (baseUrl: string, token: string) => `${baseUrl.trim()}\u0000${token}`;

export function createPrimariesSlice(client: HelperClient | undefined): StoreApi<PrimariesSlice> {
  const store = createStore<PrimariesSlice>()((set, get) => ({
    check: { state: 'idle' },
    adding: false,
    async refresh() {
      if (!client) return;
      try {
        set({ list: await client.call('primaries.list', {}), loadError: undefined });
      } catch (error) {
        set({ loadError: toErrorInfo(error) });
      }
    },
    async checkPrimary(baseUrl, token) {
      if (!client || !baseUrl.trim()) return;
      const key = checkKey(baseUrl, token);
      const current = get().check;
      if (current.state !== 'idle' && current.key === key) return; // already checked or checking these exact values
      set({ check: { state: 'pending', key } });
      try {
        const credentials = token ? { kind: 'token' as const, token } : undefined;
        const connection = await client.call('primaries.check', { baseUrl: baseUrl.trim(), credentials });
        if (get().check.state === 'pending' && (get().check as { key: string }).key === key) set({ check: { state: 'ok', key, connection } });
      } catch (error) {
        if ((get().check as { key?: string }).key === key) set({ check: { state: 'error', key, error: toErrorInfo(error) } });
      }
    },
    async add(baseUrl, token) {
      if (!client) return false;
      set({ adding: true, addError: undefined });
      try {
        await client.call('primaries.add', { baseUrl: baseUrl.trim(), credentials: { kind: 'token', token } });
        set({ adding: false, check: { state: 'idle' } });
        await get().refresh();
        return true;
      } catch (error) {
        set({ adding: false, addError: toErrorInfo(error) });
        return false;
      }
    },
    resetCheck: () => set({ check: { state: 'idle' }, addError: undefined }),
  }));
  if (client) onEveryConnect(client, () => void store.getState().refresh());
  return store;
}
