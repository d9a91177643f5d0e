/**
 * What one candidate row says besides its round trip: how long a clone from it is expected to
 * take, what it delivers here and where that figure comes from, and a note on a status that is
 * not plain healthy. Only figures the helper sent are shown: "—" when it does not know one.
 */
import type { Candidate, CandidateStatus } from '../../shared/contract';
import { formatExpectedTime, formatRate } from '../../shared/format';

/** Shown in place of a figure nobody knows. */
export const unknownFigure = '—';

/** A server that may be picked: it holds the repository and is usable (a behind one is: the top-up brings the rest). */
export function isSelectable(candidate: Candidate): boolean {
  return candidate.available && (candidate.status === 'healthy' || candidate.status === 'behind');
}

/** "about 2 min"; "—" when the size or the throughput is not known. */
export function expectedTimeText(candidate: Pick<Candidate, 'expectedMs'>): string {
  return candidate.expectedMs === null ? unknownFigure : formatExpectedTime(candidate.expectedMs);
}

/** "40 MB/s"; "—" when not known on this network. */
export function throughputText(candidate: Pick<Candidate, 'throughputBytesPerSec'>): string {
  return candidate.throughputBytesPerSec === null ? unknownFigure : formatRate(candidate.throughputBytesPerSec);
}

export interface ThroughputSource {
  /** Under the figure, a few words. */
  short: string;
  /** The whole sentence, for a tooltip. */
  long: string;
}

/** Where a throughput figure comes from; undefined when there is none. */
export function throughputSource(candidate: Pick<Candidate, 'throughputBytesPerSec' | 'throughputFrom'>): ThroughputSource | undefined {
  if (candidate.throughputBytesPerSec === null) return undefined;
  switch (candidate.throughputFrom) {
    case 'probe':
      return { short: 'measured just now', long: 'Measured just now with a short transfer from this server.' };
    case 'transfers':
      return { short: 'from earlier transfers', long: 'Remembered from earlier transfers from this server on this network.' };
    default:
      return undefined;
  }
}

/** Why the expected time is "—", for its tooltip. */
export const unknownExpectedWords = 'Not known: it needs the repository’s size and what this server delivers here.';

/** Why the throughput is "—", for its tooltip. */
export const unknownThroughputWords = 'Not known on this network: nothing was transferred from this server here yet.';

/** A few words under a status that needs them: a behind mirror is still used, an out-of-sync one is not. */
export function statusNote(status: CandidateStatus): string | undefined {
  if (status === 'behind') return 'top-up from primary';
  if (status === 'out-of-sync') return 'passed over';
  return undefined;
}
