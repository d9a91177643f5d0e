/**
 * How long a mirror has been behind the primary without catching up, across discoveries (and
 * across runs of the command line, so it is kept on disk).
 *
 * Mirrors of a busy repository are behind most of the time, by a push or two: that is a mirror
 * syncing, and a good source (the top-up brings the rest). A mirror whose sync is broken is
 * behind and does not move. So the clock starts when a mirror is first seen behind and starts
 * again whenever its refs have moved since the last look; it stops when the mirror is current.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { openKeyedRecords } from '../store/keyed-records';

export interface LagKey {
  primaryBaseUrl: string;
  repositoryId: number;
  mirrorId: string;
}

export interface LagObservation {
  behind: boolean;
  /** The mirror's refs as listed now (name → commit). */
  mirrorRefs: ReadonlyMap<string, string>;
}

export interface LagMemory {
  /** Notes what a check found; returns how long the mirror has been behind without moving (0 the first time), or undefined when it is current. */
  observe(key: LagKey, observation: LagObservation): number | undefined;
}

const entrySchema = z.object({ since: z.number(), refs: z.string() });

/** Records older than this are dropped (the mirror or the repository may be gone); one still behind is timed afresh. */
const forgetAfterMs = 7 * 24 * 60 * 60_000;

function fingerprint(refs: ReadonlyMap<string, string>): string {
  const lines = [...refs].map(([name, oid]) => `${oid} ${name}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32);
}

export function createLagMemory(options: { dataDir?: string; now?: () => number } = {}): LagMemory {
  const now = options.now ?? Date.now;
  const stored = openKeyedRecords(options.dataDir, 'mirror-lag', entrySchema);
  return {
    observe(key, observation) {
      const at = now();
      const id = `${key.primaryBaseUrl.replace(/\/+$/, '')} ${key.repositoryId} ${key.mirrorId}`;
      const entries = Object.fromEntries(Object.entries(stored.all()).filter(([, entry]) => at - entry.since < forgetAfterMs || entry.since > at));
      let result: number | undefined;
      if (!observation.behind) {
        delete entries[id];
      } else {
        const refs = fingerprint(observation.mirrorRefs);
        const previous = entries[id];
        // A clock that went backwards, or refs that moved: the clock starts again.
        if (previous && previous.refs === refs && previous.since <= at) {
          result = at - previous.since;
        } else {
          entries[id] = { since: at, refs };
          result = 0;
        }
      }
      stored.replace(entries);
      return result;
    },
  };
}
