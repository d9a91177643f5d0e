/**
 * Notices when this machine has moved to another network (another office, home, a hotel, a
 * VPN): the network identity is read every `periodMs`, and a new one that stays for `settleMs`
 * counts as a move. Waiting for it to settle keeps a Wi-Fi roam or a VPN reconnecting from
 * counting as several moves. Going offline is not a move: the network we come back to is.
 */
import type { NetworkIdentity } from './network-identity';

export interface NetworkWatchOptions {
  identity(): Promise<Pick<NetworkIdentity, 'id' | 'prefixCount'>>;
  onMove(): void;
  periodMs?: number;
  settleMs?: number;
  /** The clock the settle time is measured on (default Date.now). */
  now?: () => number;
}

export interface NetworkWatch {
  /** When the last move was noticed (epoch ms), if one was since the helper started. */
  lastMoveAt(): number | undefined;
  stop(): void;
}

export function watchNetwork(options: NetworkWatchOptions): NetworkWatch {
  const periodMs = options.periodMs ?? 15_000;
  const settleMs = options.settleMs ?? 30_000;
  const now = options.now ?? Date.now;
  let current: string | undefined;
  let candidate: { id: string; since: number } | undefined;
  let lastMoveAt: number | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const look = async () => {
    const seen = await options.identity().catch(() => undefined);
    if (stopped || !seen || seen.prefixCount === 0) return;
    if (current === undefined) current = seen.id;
    if (seen.id === current) {
      candidate = undefined;
      return;
    }
    if (candidate?.id !== seen.id) candidate = { id: seen.id, since: now() };
    if (now() - candidate.since >= settleMs) {
      current = seen.id;
      candidate = undefined;
      lastMoveAt = now();
      options.onMove();
    }
  };
  const schedule = () => {
    if (!stopped) timer = setTimeout(() => void look().finally(schedule), periodMs);
  };
  void look().finally(schedule);

  return {
    lastMoveAt: () => lastMoveAt,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
