/**
 * Recent probe reports, so that asking again a minute later, or after a restart, does not
 * measure every mirror again. An entry is found only for the same network (see
 * network-identity.ts), the same primary and the same repository or candidate set, and only for
 * `ttlMs` (default 10 minutes): travelling to another network is a miss, as it should be.
 *
 * Kept as one JSON file in the data directory it is given (store/entries-file.ts: atomic writes,
 * queued; read once; whatever does not parse is dropped).
 */
import path from 'node:path';
import { z } from 'zod';
import { openEntriesFile } from '../store/entries-file';
import { probeReportSchema } from '../probe/report-schema';
import type { ProbeReport, ProbeTarget } from '../probe/types';

export interface MeasurementKey {
  networkId: string;
  primaryBaseUrl: string;
  /** What was measured: one repository (e.g. 'PROJ/repo' or its id), or exactly these candidates. */
  scope: { repository: string } | { candidates: readonly ProbeTarget[] };
}

export interface CachedMeasurement {
  report: ProbeReport;
  /** Epoch milliseconds. */
  storedAt: number;
  ageMs: number;
}

export interface MeasurementCache {
  /**
   * `maxAgeMs`: only a measurement younger than this is returned (the cache's own lifetime
   * applies too). An explicit request (switch to the closest now) asks for a recent one; background
   * work takes whatever the lifetime allows.
   */
  get(key: MeasurementKey, options?: { maxAgeMs?: number }): Promise<CachedMeasurement | undefined>;
  /** A cancelled report is not kept: it measured nothing worth reusing. */
  put(key: MeasurementKey, report: ProbeReport): Promise<void>;
  forget(key: MeasurementKey): Promise<void>;
}

export interface MeasurementCacheOptions {
  dataDir: string;
  ttlMs?: number;
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number;
  fileName?: string;
  /** Oldest entries beyond this are dropped. Default 200. */
  maxEntries?: number;
}

const entrySchema = z.object({
  networkId: z.string(),
  primaryBaseUrl: z.string(),
  scope: z.string(),
  storedAt: z.number(),
  report: probeReportSchema,
});
type Entry = z.infer<typeof entrySchema>;

/** The forms a key's parts are compared in: one URL spelling, candidates in a fixed order. */
function normalizedKey(key: MeasurementKey): Pick<Entry, 'networkId' | 'primaryBaseUrl' | 'scope'> {
  let primary = key.primaryBaseUrl;
  try {
    primary = new URL(key.primaryBaseUrl).href;
  } catch {
    // Not a URL: compared as given.
  }
  const scope =
    'repository' in key.scope
      ? `repository ${key.scope.repository}`
      : `candidates ${key.scope.candidates
          .map((c) => `${c.id}=${c.baseUrl}`)
          .sort()
          .join(' ')}`;
  return { networkId: key.networkId, primaryBaseUrl: primary.replace(/\/+$/, ''), scope };
}

const sameKey = (entry: Entry, key: ReturnType<typeof normalizedKey>) =>
  entry.networkId === key.networkId && entry.primaryBaseUrl === key.primaryBaseUrl && entry.scope === key.scope;

export function createMeasurementCache(options: MeasurementCacheOptions): MeasurementCache {
  const file = path.join(options.dataDir, options.fileName ?? 'measurements.json');
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 200;
  const stored = openEntriesFile(file, entrySchema);
  // A clock that went backwards makes an entry look stored in the future: treat it as stale.
  const isFresh = (entry: Entry, at: number, maxAgeMs = ttlMs) => entry.storedAt <= at && at - entry.storedAt < Math.min(ttlMs, maxAgeMs);

  /** Applies `change` to the entries and writes the result, after any write already queued. */
  const update = (change: (current: Entry[]) => Entry[]): Promise<void> =>
    stored.update((entries) => {
      const at = now();
      const current = change(entries).filter((entry) => isFresh(entry, at));
      current.sort((a, b) => b.storedAt - a.storedAt);
      current.length = Math.min(current.length, maxEntries);
      return current;
    });

  return {
    async get(key, options = {}) {
      const wanted = normalizedKey(key);
      const entries = await stored.read();
      const at = now();
      const entry = entries.find((candidate) => sameKey(candidate, wanted));
      if (!entry || !isFresh(entry, at, options.maxAgeMs)) return undefined;
      return { report: entry.report, storedAt: entry.storedAt, ageMs: at - entry.storedAt };
    },
    put(key, report) {
      if (report.cancelled) return Promise.resolve();
      const wanted = normalizedKey(key);
      return update((current) => [...current.filter((entry) => !sameKey(entry, wanted)), { ...wanted, storedAt: now(), report }]);
    },
    forget(key) {
      const wanted = normalizedKey(key);
      return update((current) => current.filter((entry) => !sameKey(entry, wanted)));
    },
  };
}
