/**
 * The throughput each server delivered here, per network and server origin (see throughput.ts),
 * kept as one JSON file in the data folder (store/entries-file.ts), or in memory only when there
 * is no data folder.
 *
 * How one figure is kept: a decaying average of transfer rates, each transfer weighted by its
 * size, its weight capped, and older weight fading with time.
 *   - Weighted by size: a transfer's rate is more trustworthy the longer it ran (TCP slow start,
 *     git's set-up and the server's pack preparation weigh on a small one), so a 300 KB fetch
 *     moves the figure of a 200 MB clone by about 1%, not half.
 *   - Capped at `sampleWeightCapBytes` (32 MiB) per transfer: past that a transfer says no more
 *     about the link than a 32 MiB one, and one huge clone must not outweigh every later one.
 *   - Newer transfers count more: the weight already gathered halves every `halfLifeMs` (one
 *     day), and never counts for more than `weightCapBytes` (four full transfers), so even within
 *     an hour a full-sized transfer moves the figure at least a fifth of the way to its own rate
 *     (a link that became slower shows within a few clones).
 * Transfers under `minBytes` (256 KiB) are ignored: they end while TCP is still ramping up and
 * measure the round trip, not bandwidth. So are those under `minDurationMs` (50 ms): timed from
 * progress updates, the event loop and pipes would be a large part of so short a time (a 5 MB
 * clone at 100 MB/s still counts; a faster link is fast enough for any choice). A deliberate
 * measurement (sample.deliberate) is kept whatever its size, and replaces the figure rather than
 * joining its average: it was sized to measure, and taken because someone asked what the link
 * does now (a 2 MB measurement beside a 20 MB clone's figure would otherwise barely move it). A figure not
 * refreshed within `maxAgeMs` (7 days) is not returned, and is dropped at the next write.
 */
import path from 'node:path';
import { z } from 'zod';
import { openEntriesFile } from '../store/entries-file';
import type { ThroughputEstimate, ThroughputMemory, ThroughputSample } from './throughput';

export interface ThroughputMemoryOptions {
  /** Where the file lives; without it the figures live in memory for this process only. */
  dataDir?: string;
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number;
  fileName?: string;
  /** Figures older than this are not returned. Default 7 days. */
  maxAgeMs?: number;
  halfLifeMs?: number;
  minBytes?: number;
  minDurationMs?: number;
  /** Oldest figures beyond this are dropped. Default 500. */
  maxEntries?: number;
}

export const sampleWeightCapBytes = 32 * 1024 * 1024;
const weightCapBytes = 4 * sampleWeightCapBytes;

const entrySchema = z.object({
  networkId: z.string(),
  origin: z.string(),
  bytesPerSecond: z.number().positive().finite(),
  /** The weight behind the figure as of `updatedAt`, in (capped) bytes. */
  weight: z.number().positive().finite(),
  samples: z.number().int().positive(),
  updatedAt: z.number(),
});
type Entry = z.infer<typeof entrySchema>;

/**
 * The server part of any URL git is given: scheme, host and port, with the scheme's default
 * port left out (https://h:443/x → https://h; ssh://git@h:22/x → ssh://h; git@h:x → ssh://h).
 * Undefined for what is not such a URL.
 */
export function throughputOrigin(url: string): string | undefined {
  const scpLike = /^[^/@:]+@([^/:]+):(?!\/\/)/.exec(url);
  if (scpLike) return `ssh://${scpLike[1]!.toLowerCase()}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const scheme = parsed.protocol.toLowerCase();
  if (!['http:', 'https:', 'ssh:'].includes(scheme) || !parsed.hostname) return undefined;
  // URL drops 80 and 443 for http(s) itself; ssh is not a scheme it knows the port of.
  const port = parsed.port && !(scheme === 'ssh:' && parsed.port === '22') ? `:${parsed.port}` : '';
  return `${scheme}//${parsed.hostname.toLowerCase()}${port}`;
}

export function createThroughputMemory(options: ThroughputMemoryOptions = {}): ThroughputMemory {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 7 * 24 * 3_600_000;
  const halfLifeMs = options.halfLifeMs ?? 24 * 3_600_000;
  const minBytes = options.minBytes ?? 256 * 1024;
  const minDurationMs = options.minDurationMs ?? 50;
  const maxEntries = options.maxEntries ?? 500;
  const stored = openEntriesFile(options.dataDir ? path.join(options.dataDir, options.fileName ?? 'throughput.json') : undefined, entrySchema);

  // A clock that went backwards makes a figure look newer than now: not trusted either.
  const isFresh = (entry: Entry, at: number) => entry.updatedAt <= at && at - entry.updatedAt < maxAgeMs;

  /** `previous` folded with one transfer, at time `at`. */
  const fold = (previous: Entry | undefined, key: { networkId: string; origin: string }, sample: ThroughputSample, at: number): Entry => {
    const rate = (sample.bytes * 1000) / sample.durationMs;
    const weight = Math.min(sample.bytes, sampleWeightCapBytes);
    if (!previous) return { ...key, bytesPerSecond: rate, weight, samples: 1, updatedAt: at };
    // Measured because someone asked (Measure again) or nothing was known: what the link does now,
    // not one more voice in an average of transfers made when it may have been another link.
    if (sample.deliberate) return { ...key, bytesPerSecond: rate, weight, samples: previous.samples + 1, updatedAt: at };
    const faded = Math.min(previous.weight * 0.5 ** ((at - previous.updatedAt) / halfLifeMs), weightCapBytes);
    return {
      ...key,
      bytesPerSecond: (faded * previous.bytesPerSecond + weight * rate) / (faded + weight),
      weight: faded + weight,
      samples: previous.samples + 1,
      updatedAt: at,
    };
  };

  return {
    async record(key, sample) {
      const origin = throughputOrigin(key.origin);
      const measurable = Number.isFinite(sample.bytes) && Number.isFinite(sample.durationMs) && sample.bytes > 0 && sample.durationMs > 0;
      const usable = measurable && (sample.deliberate === true || (sample.bytes >= minBytes && sample.durationMs >= minDurationMs));
      if (!origin || !key.networkId || !usable) return;
      await stored.update((entries) => {
        const at = now();
        const same = (entry: Entry) => entry.networkId === key.networkId && entry.origin === origin;
        const previous = entries.find((entry) => same(entry) && isFresh(entry, at));
        const next = [fold(previous, { networkId: key.networkId, origin }, sample, at), ...entries.filter((entry) => !same(entry) && isFresh(entry, at))];
        next.sort((a, b) => b.updatedAt - a.updatedAt);
        return next.slice(0, maxEntries);
      });
    },
    async estimate(key): Promise<ThroughputEstimate | undefined> {
      const origin = throughputOrigin(key.origin);
      if (!origin) return undefined;
      const entries = await stored.read();
      const at = now();
      const entry = entries.find((candidate) => candidate.networkId === key.networkId && candidate.origin === origin);
      if (!entry || !isFresh(entry, at)) return undefined;
      return { bytesPerSecond: entry.bytesPerSecond, samples: entry.samples, updatedAt: entry.updatedAt };
    },
  };
}
