/**
 * The editors found on this machine (`settings.editors`), for the editor setting and for the
 * Editor buttons, which say how to choose one when there is none. Read on every (re)connect and
 * again when the setting is shown (an editor installed meanwhile appears).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DetectedEditor, HelperClient } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export interface EditorsSlice {
  /** undefined until the helper first answered. */
  detected?: DetectedEditor[];
  loadError?: ErrorInfo;
  /** Set by "Choose an editor…" elsewhere: the editor setting takes focus when it shows. */
  focusRequested: boolean;
  refresh(): Promise<void>;
  requestFocus(requested: boolean): void;
}

export function createEditorsSlice(client: HelperClient | undefined): StoreApi<EditorsSlice> {
  const store = createStore<EditorsSlice>()((set) => ({
    focusRequested: false,
    async refresh() {
      if (!client) return;
      try {
        set({ detected: await client.call('settings.editors', {}), loadError: undefined });
      } catch (error) {
        set({ loadError: toErrorInfo(error) });
      }
    },
    requestFocus: (requested) => set({ focusRequested: requested }),
  }));
  if (client) onEveryConnect(client, () => void store.getState().refresh());
  return store;
}
