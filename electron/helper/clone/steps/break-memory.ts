/**
 * Networks where a clone's transfer broke lately (a cut or a stall, not a cancel). On such a
 * network a big clone fetches its history in deepen steps, newest first, from the start: each step
 * costs the server a search for deltas (about 1.5x to 2.4x a clone's time on a clean link, measured
 * in step-plan.ts), but a break then loses one step. Elsewhere the history comes in one fetch, as
 * fast as a plain clone but for that search once, and a first break keeps what arrived when it can.
 */
import { z } from 'zod';
import { openKeyedRecords } from '../../store/keyed-records';

export interface BreakMemory {
  noteBreak(networkId: string): void;
  brokeLately(networkId: string): boolean;
}

/** How long a break on a network shapes clones there. */
export const breakKeptMs = 14 * 24 * 60 * 60_000;

const breakSchema = z.object({ at: z.number() });

export function createBreakMemory(options: { dataDir?: string; now?: () => number } = {}): BreakMemory {
  const now = options.now ?? Date.now;
  const stored = openKeyedRecords(options.dataDir, 'transfer-breaks', breakSchema);
  // A clock that went backwards makes a break look in the future: not trusted.
  const isLate = (at: number, time: number) => at <= time && time - at < breakKeptMs;
  return {
    noteBreak(networkId) {
      const time = now();
      const kept = Object.fromEntries(Object.entries(stored.all()).filter(([, record]) => isLate(record.at, time)));
      stored.replace({ ...kept, [networkId]: { at: time } });
    },
    brokeLately(networkId) {
      const record = stored.all()[networkId];
      return record !== undefined && isLate(record.at, now());
    },
  };
}
