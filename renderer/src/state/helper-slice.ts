/**
 * The helper domain: is the helper reachable, and what does it say about itself.
 * Re-reads the helper's info each time a connection is (re)made, so a restarted helper shows
 * its new state without a page reload.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectionState, HelperClient, HelperInfo } from '../../../shared/contract';
import { ContractError } from '../../../shared/contract';

export interface HelperSlice {
  connection: ConnectionState | 'no-helper';
  /** Whether a connection was ever made: a later drop means the helper went away, not that it is starting. */
  everConnected: boolean;
  info?: HelperInfo;
  error?: string;
  refresh(): Promise<void>;
}

export function createHelperSlice(client: HelperClient | undefined): StoreApi<HelperSlice> {
  const store = createStore<HelperSlice>()((set) => ({
    connection: client ? client.connectionState : 'no-helper',
    everConnected: client?.connectionState === 'connected',
    async refresh() {
      if (!client) return;
      try {
        const info = await client.call('helper.info', {});
        set({ info, error: undefined });
      } catch (error) {
        set({ error: error instanceof ContractError ? error.message : String(error) });
      }
    },
  }));
  if (client) {
    client.onConnectionChange((connection) => {
      store.setState(connection === 'connected' ? { connection, everConnected: true } : { connection });
      if (connection === 'connected') void store.getState().refresh();
    });
    client.on('helper.state', ({ state }) => {
      const { info } = store.getState();
      if (info) store.setState({ info: { ...info, state } });
    });
    if (client.connectionState === 'connected') void store.getState().refresh();
  }
  return store;
}
