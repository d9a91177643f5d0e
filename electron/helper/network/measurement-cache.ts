/**
 * Recent probe reports, so that asking again a minute later, or after a restart, does not
 * measure every mirror again. An entry is found only for the same network (see
 * network-identity.ts), the same primary and the same repository or candidate set, and only for
 * `ttlMs` (default 10 minutes): travelling to another network is a miss, as it should be.
 *
 * Kept as one JSON file in the data directory it is given. Writes go to a temporary file that is
 * then renamed over the old one, so a crash never leaves half a file; writes from this instance
 * are queued one after another. The file is read once, at first use; whatever in it does not
 * parse is dropped, never trusted. Several processes sharing the file: the last writer wins,
 * which for a cache only costs a measurement.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
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

async function readEntries(file: string): Promise<Entry[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return []; // missing or not JSON: start empty
  }
  const entries = z.object({ entries: z.array(z.unknown()) }).safeParse(raw);
  if (!entries.success) return [];
  return entries.data.entries.flatMap((item) => {
    const entry = entrySchema.safeParse(item);
    return entry.success ? [entry.data] : [];
  });
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { encoding: 'utf8', mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export function createMeasurementCache(options: MeasurementCacheOptions): MeasurementCache {
  const file = path.join(options.dataDir, options.fileName ?? 'measurements.json');
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 200;
  let entries: Promise<Entry[]> | undefined;
  let writing: Promise<void> = Promise.resolve();

  const load = () => (entries ??= readEntries(file));
  // A clock that went backwards makes an entry look stored in the future: treat it as stale.
  const isFresh = (entry: Entry, at: number, maxAgeMs = ttlMs) => entry.storedAt <= at && at - entry.storedAt < Math.min(ttlMs, maxAgeMs);

  /** Applies `change` to the entries and writes the result, after any write already queued. */
  const update = (change: (current: Entry[]) => Entry[]): Promise<void> => {
    const next = writing.then(async () => {
      const at = now();
      const current = change(await load()).filter((entry) => isFresh(entry, at));
      current.sort((a, b) => b.storedAt - a.storedAt);
      current.length = Math.min(current.length, maxEntries);
      entries = Promise.resolve(current);
      await writeAtomically(file, `${JSON.stringify({ version: 1, entries: current }, null, 1)}\n`);
    });
    writing = next.catch(() => {}); // one failed write must not block the ones after it
    return next;
  };

  return {
    async get(key, options = {}) {
      await writing;
      const wanted = normalizedKey(key);
      const at = now();
      const entry = (await load()).find((candidate) => sameKey(candidate, wanted));
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
