/**
 * The few statistics a latency probe needs. Pure functions over milliseconds.
 *
 * Spread is the interquartile range (Q3 - Q1), not max - min: one sample that caught a
 * garbage collection or a retransmit should not make a steady link look jittery.
 * Quartiles interpolate linearly between the sorted samples (the "type 7" rule most
 * spreadsheets use), so 5 samples give a meaningful number.
 */

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The q-quantile (0 <= q <= 1) of already sorted values; NaN when there are none. */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The middle value (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  return quantileOfSorted(sortedCopy(values), 0.5);
}

/** Q3 - Q1; 0 for a single value, NaN when empty. */
export function interquartileRange(values: readonly number[]): number {
  const sorted = sortedCopy(values);
  return quantileOfSorted(sorted, 0.75) - quantileOfSorted(sorted, 0.25);
}

export interface SampleSummary {
  medianMs: number;
  /** Interquartile range of the samples. */
  spreadMs: number;
  minMs: number;
}

/** Median, spread and minimum of some samples; undefined when there are none. */
export function summarizeSamples(samplesMs: readonly number[]): SampleSummary | undefined {
  if (samplesMs.length === 0) return undefined;
  const sorted = sortedCopy(samplesMs);
  return {
    medianMs: roundMs(quantileOfSorted(sorted, 0.5)),
    spreadMs: roundMs(quantileOfSorted(sorted, 0.75) - quantileOfSorted(sorted, 0.25)),
    minMs: roundMs(sorted[0]),
  };
}

/** Hundredths of a millisecond are more than a network timing can honestly claim. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
