/**
 * How many clones of a batch run at once. Parallel clones help only while one clone leaves the
 * link idle: during its set-up (the primary's REST answers, the source's ref negotiation, git's
 * own start and the checkout), which is round trips and local work, not bytes. Once the link is
 * full, another clone only splits it: every repository then finishes later, none sooner, and a
 * thin link gains nothing from twenty transfers.
 *
 * So with a clone's set-up time O and its transfer time T (size ÷ what the source delivers
 * here, from the throughput memory), 1 + O/T clones keep the link busy: the others' set-ups
 * overlap one transfer. A fat link with small repositories gets many, a thin link with big ones
 * one or two.
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

export function setUpMs(figures: Pick<LinkFigures, 'sourceRttMs' | 'primaryRttMs'>): number {
  return localSetUpMs + primaryRoundTrips * (figures.primaryRttMs ?? 0) + sourceRoundTrips * (figures.sourceRttMs ?? figures.primaryRttMs ?? 0);
}

export function chooseConcurrency(figures: LinkFigures, repositories: number, cap = maxBatchJobs): { jobs: number; reason: string } {
  const limit = Math.max(1, Math.min(cap, repositories));
  const { bytesPerSecond, typicalSizeBytes } = figures;
  if (!bytesPerSecond || bytesPerSecond <= 0 || typicalSizeBytes === null || typicalSizeBytes <= 0) {
    const jobs = Math.min(unmeasuredJobs, limit);
    return { jobs, reason: `${jobs} at once: the link is not measured yet` };
  }
  const overhead = setUpMs(figures);
  const transfer = (typicalSizeBytes * 1000) / bytesPerSecond;
  const jobs = Math.max(1, Math.min(limit, Math.round(1 + overhead / transfer)));
  const capped = jobs === limit && limit < Math.round(1 + overhead / transfer) ? ` (at most ${limit})` : '';
  return {
    jobs,
    reason: `${jobs} at once${capped}: ${formatRate(bytesPerSecond)} per transfer, about ${(transfer / 1000).toFixed(1)} s for a ${formatBytes(typicalSizeBytes)} repository against ${(overhead / 1000).toFixed(1)} s of set-up each`,
  };
}

/** The figures of one repository's discovery: its chosen source, the primary, its size. */
export function figuresFromDiscovery(result: DiscoveryResult): LinkFigures {
  const chosen = result.candidates.find((candidate) => candidate.id === result.chosen);
  const primary = result.candidates.find((candidate) => candidate.kind === 'primary');
  return {
    bytesPerSecond: chosen?.throughputBytesPerSec ?? null,
    sourceRttMs: chosen?.rttMs ?? null,
    primaryRttMs: primary?.rttMs ?? null,
    typicalSizeBytes: result.repository.sizeBytes,
  };
}
