/**
 * How many clones of a batch run at once. Parallel clones help only while one clone leaves the
 * link idle: during its set-up (the primary's REST answers, the source's ref negotiation, git's
 * own start and the checkout), which is round trips and local work, not bytes. Once the link is
 * full, another clone only splits it: every repository then finishes later, none sooner, and a
 * thin link gains nothing from twenty transfers.
 *
 * So with a clone's set-up time O and its transfer time T (size ÷ what the source delivers
 * here, from the throughput memory), 1 + O/T clones keep the link busy, rounded up: the others'
 * set-ups overlap one transfer. A fat link with small repositories gets many, a thin link with
 * big ones two (one transferring while the next sets up). The first ones start spread over one
 * clone's time (see pool.ts), or on a thin link they would finish, and set up, in step.
 */
import { maxBatchJobs, type DiscoveryResult } from '../../../../shared/contract';
import { formatBytes, formatRate } from '../../../../shared/format';

/** What the choice rests on; null where nothing is known. */
export interface LinkFigures {
  /** What one transfer from the chosen source delivers here. */
  bytesPerSecond: number | null;
  /** Round trips to the chosen source and to the primary. */
  sourceRttMs: number | null;
  primaryRttMs: number | null;
  /** A typical repository of the batch, as the primary estimates it. */
  typicalSizeBytes: number | null;
  /** A clone's set-up as measured (a whole clone's time less its transfer); else estimated from round trips. */
  setUpMs?: number;
}

/** When nothing is measured yet: enough to overlap set-ups, few enough not to swamp a thin link. */
export const unmeasuredJobs = 3;

/**
 * Round trips one clone spends before and after its transfer: about eight to the primary
 * (repository, mirrors, size, refs, then the top-up's listing) and four to the source (ref
 * advertisement, negotiation, the pack request); plus local work (git's start, checkout).
 */
const primaryRoundTrips = 8;
const sourceRoundTrips = 4;
const localSetUpMs = 300;

export function setUpMs(figures: Pick<LinkFigures, 'sourceRttMs' | 'primaryRttMs' | 'setUpMs'>): number {
  if (figures.setUpMs !== undefined) return figures.setUpMs;
  return localSetUpMs + primaryRoundTrips * (figures.primaryRttMs ?? 0) + sourceRoundTrips * (figures.sourceRttMs ?? figures.primaryRttMs ?? 0);
}

export interface ConcurrencyChoice {
  jobs: number;
  reason: string;
  /** How far apart the first clones start; absent when they may all start at once. */
  staggerMs?: number;
}

/** Spreading the first starts never holds a clone back longer than this. */
const maxStaggerMs = 5_000;

export function chooseConcurrency(figures: LinkFigures, repositories: number, cap = maxBatchJobs): ConcurrencyChoice {
  const limit = Math.max(1, Math.min(cap, repositories));
  const { bytesPerSecond, typicalSizeBytes } = figures;
  if (!bytesPerSecond || bytesPerSecond <= 0 || typicalSizeBytes === null || typicalSizeBytes <= 0) {
    const jobs = Math.min(unmeasuredJobs, limit);
    return { jobs, reason: `${jobs} at once: the link is not measured yet` };
  }
  const overhead = setUpMs(figures);
  const transfer = (typicalSizeBytes * 1000) / bytesPerSecond;
  const wanted = Math.ceil(1 + overhead / transfer - 0.05);
  const jobs = Math.max(1, Math.min(limit, wanted));
  const capped = jobs < wanted ? ` (at most ${limit})` : '';
  const setUpSource = figures.setUpMs !== undefined ? 'measured' : 'estimated';
  return {
    jobs,
    reason: `${jobs} at once${capped}: ${formatRate(bytesPerSecond)} per transfer, about ${(transfer / 1000).toFixed(1)} s for a ${formatBytes(typicalSizeBytes)} repository against ${(overhead / 1000).toFixed(1)} s of set-up each (${setUpSource})`,
    ...(jobs > 1 ? { staggerMs: Math.round(Math.min(maxStaggerMs, (overhead + transfer) / jobs)) } : {}),
  };
}

/**
 * The figures of one repository's discovery: its source (the one named, when the discovery lists
 * it; else the one it chose), the primary, its size.
 */
export function figuresFromDiscovery(result: DiscoveryResult, sourceId?: string): LinkFigures {
  const chosen = result.candidates.find((candidate) => candidate.id === sourceId) ?? result.candidates.find((candidate) => candidate.id === result.chosen);
  const primary = result.candidates.find((candidate) => candidate.kind === 'primary');
  return {
    bytesPerSecond: chosen?.throughputBytesPerSec ?? null,
    sourceRttMs: chosen?.rttMs ?? null,
    primaryRttMs: primary?.rttMs ?? null,
    typicalSizeBytes: result.repository.sizeBytes,
  };
}
