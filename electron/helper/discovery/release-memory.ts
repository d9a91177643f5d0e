/**
 * The Bitbucket release of each primary used with a token from the environment (a connected
 * primary keeps its own in the primaries store), kept in the data folder for a day. It decides
 * whether the token may go to the repository sizes endpoint (repository-size.ts); without it a
 * command-line run would ask application-properties first, one more round trip to a far primary
 * before the sizes. A day, because a primary is upgraded now and then, not between two clones.
 */
import { z } from 'zod';
import { openKeyedRecords } from '../store/keyed-records';

export interface ReleaseMemory {
  recall(baseUrl: string): string | undefined;
  remember(baseUrl: string, version: string): void;
}

const recordSchema = z.object({ version: z.string().regex(/^\d+(\.\d+){0,3}(-[\w.]+)?$/), learnedAt: z.number() });

export function createReleaseMemory(options: { dataDir?: string; now?: () => number; maxAgeMs?: number } = {}): ReleaseMemory {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60_000;
  const records = openKeyedRecords(options.dataDir, 'primary-releases', recordSchema);
  return {
    recall(baseUrl) {
      const record = records.all()[baseUrl];
      if (!record) return undefined;
      const age = now() - record.learnedAt;
      return age >= 0 && age < maxAgeMs ? record.version : undefined;
    },
    remember(baseUrl, version) {
      const fresh = Object.fromEntries(Object.entries(records.all()).filter(([, record]) => now() - record.learnedAt < maxAgeMs));
      records.replace({ ...fresh, [baseUrl]: { version, learnedAt: now() } });
    },
  };
}
