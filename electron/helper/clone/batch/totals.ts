/**
 * A batch's one overall progress: repositories present of all, bytes received, the rate over
 * the last few seconds, and the time left. Time left comes from bytes when sizes are known (a
 * repository not asked yet counts as the average of those that were), otherwise from how long
 * the finished ones took.
 */
import type { BatchItem, BatchTotals } from '../../../../shared/contract';

/** The rate is taken over this window: long enough to smooth git's bursts, short enough to follow the link. */
const rateWindowMs = 5_000;

export interface RateSample {
  at: number;
  bytes: number;
}

export function totalsOf(items: readonly BatchItem[], samples: readonly RateSample[], elapsedMs: number): BatchTotals {
  const count = (predicate: (item: BatchItem) => boolean) => items.filter(predicate).length;
  const receivedBytes = items.reduce((sum, item) => sum + (item.alreadyThere ? 0 : (item.receivedBytes ?? 0)), 0);
  const bytesPerSecond = rateOf(samples);
  const unfinished = items.filter((item) => item.state === 'waiting' || item.state === 'cloning');
  const cloned = items.filter((item) => item.state === 'done' && !item.alreadyThere);
  return {
    repositories: items.length,
    done: count((item) => item.state === 'done'),
    alreadyThere: count((item) => item.alreadyThere),
    failed: count((item) => item.state === 'failed'),
    cancelled: count((item) => item.state === 'cancelled'),
    receivedBytes,
    bytesPerSecond,
    etaSeconds: unfinished.length === 0 ? 0 : etaOf(items, unfinished, cloned.length, bytesPerSecond, elapsedMs),
  };
}

function rateOf(samples: readonly RateSample[]): number | null {
  const last = samples.at(-1);
  if (!last) return null;
  const first = samples.find((sample) => sample.at >= last.at - rateWindowMs) ?? last;
  const seconds = (last.at - first.at) / 1000;
  return seconds >= 1 ? (last.bytes - first.bytes) / seconds : null;
}

function etaOf(items: readonly BatchItem[], unfinished: readonly BatchItem[], clonedCount: number, bytesPerSecond: number | null, elapsedMs: number): number | null {
  const sizes = items.flatMap((item) => (typeof item.expectedBytes === 'number' && !item.alreadyThere ? [item.expectedBytes] : []));
  if (bytesPerSecond && bytesPerSecond > 0 && sizes.length > 0) {
    const average = sizes.reduce((sum, size) => sum + size, 0) / sizes.length;
    const remaining = unfinished.reduce((sum, item) => sum + Math.max(0, (typeof item.expectedBytes === 'number' ? item.expectedBytes : average) - (item.receivedBytes ?? 0)), 0);
    return Math.round(remaining / bytesPerSecond);
  }
  if (clonedCount === 0) return null;
  return Math.round(((elapsedMs / clonedCount) * unfinished.length) / 1000);
}
