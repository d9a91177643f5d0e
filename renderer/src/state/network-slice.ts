/**
 * The network domain: whether the helper noticed this machine moved to another network since
 * the user last acted on it. Other mirrors may be closest now; Local clones offers to switch.
 * What the user acted on is remembered in this browser, so a reload does not ask again.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient } from '../../../shared/contract';
import { onEveryConnect } from './errors';

const seenKey = 'mirror-clone.network-move-seen';

export interface NetworkSlice {
  /** When the move the user has not acted on yet happened (ISO time). */
  movedAt?: string;
  /** The user switched, or said "not now": the notice goes until the next move. */
  acknowledge(): void;
}

export function createNetworkSlice(client: HelperClient | undefined): StoreApi<NetworkSlice> {
  const unseen = (at: string | undefined) => (at && at !== localStorage.getItem(seenKey) ? at : undefined);
  const store = createStore<NetworkSlice>()((set, get) => ({
    acknowledge() {
      const { movedAt } = get();
      if (movedAt) localStorage.setItem(seenKey, movedAt);
      set({ movedAt: undefined });
    },
  }));
  if (client) {
    client.on('network.moved', ({ at }) => store.setState({ movedAt: unseen(at) }));
    onEveryConnect(client, () => {
      client.call('network.status', {}).then(
        // Only ever adds: an answer that left before a network.moved event must not undo it.
        ({ movedAt }) => {
          if (unseen(movedAt)) store.setState({ movedAt });
        },
        () => {},
      );
    });
  }
  return store;
}
