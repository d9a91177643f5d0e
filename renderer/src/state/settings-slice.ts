/**
 * The settings domain: the helper's settings (`settings.get`), each saved on its own
 * (`settings.update`) with its own pending and error state, so a refused CA file does not hold
 * up or hide a change to the probe samples.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, ParamsOf, Settings } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type SettingName = 'probeSamples' | 'extraCaFile' | 'cacheQuotaBytes' | 'defaultCloneFolder';

export type SaveState = { state: 'pending' } | { state: 'saved' } | { state: 'error'; error: ErrorInfo };

export interface SettingsSlice {
  /** undefined until the helper first answered. */
  settings?: Settings;
  loadError?: ErrorInfo;
  saves: Partial<Record<SettingName, SaveState>>;
  /** Set by "Manage" links elsewhere: this primary's part of Settings takes focus when it shows. */
  focusPrimary?: string;
  refresh(): Promise<void>;
  /** Saves one setting; true when the helper accepted it. */
  save(name: SettingName, change: ParamsOf<'settings.update'>): Promise<boolean>;
  /** Forgets a save's outcome (the user is editing again). */
  clearSave(name: SettingName): void;
  requestPrimaryFocus(baseUrl: string | undefined): void;
}

export function createSettingsSlice(client: HelperClient | undefined): StoreApi<SettingsSlice> {
  const store = createStore<SettingsSlice>()((set) => {
    const setSave = (name: SettingName, save: SaveState | undefined) => set((state) => ({ saves: { ...state.saves, [name]: save } }));
    return {
      saves: {},
      async refresh() {
        if (!client) return;
        try {
          set({ settings: await client.call('settings.get', {}), loadError: undefined });
        } catch (error) {
          set({ loadError: toErrorInfo(error) });
        }
      },
      async save(name, change) {
        if (!client) return false;
        setSave(name, { state: 'pending' });
        try {
          set({ settings: await client.call('settings.update', change) });
          setSave(name, { state: 'saved' });
          return true;
        } catch (error) {
          setSave(name, { state: 'error', error: toErrorInfo(error) });
          return false;
        }
      },
      clearSave: (name) => setSave(name, undefined),
      requestPrimaryFocus: (baseUrl) => set({ focusPrimary: baseUrl }),
    };
  });
  if (client) onEveryConnect(client, () => void store.getState().refresh());
  return store;
}
