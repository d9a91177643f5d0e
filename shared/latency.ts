/**
 * A server's round trip in words, the same in the app and the CLI. A server whose measuring
 * stopped early (it could not beat the closest) has only a lower bound: it is never shown as a
 * median it does not have, nor hidden behind a smaller figure than it is known to take.
 */

/** "5.0 ms", "255 ms", "1234 ms": milliseconds, so figures in one table compare at a glance. */
export function formatLatencyMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export interface LatencyFigures {
  /** The median of every round trip, once measured to the end. */
  rttMs: number | null;
  /** At least this slow: measuring stopped once it could not beat the closest. */
  slowerThanMs: number | null;
}

/** Why a lower bound is all there is; said next to "≥ N ms" wherever it appears. */
export const stoppedEarlyWords = 'stopped measuring: could not beat the closest';

/** "255 ms", "≥ 100 ms", or "—" when nothing is known. */
export function latencyText(figures: LatencyFigures): string {
  if (figures.rttMs !== null) return formatLatencyMs(figures.rttMs);
  if (figures.slowerThanMs !== null) return `≥ ${formatLatencyMs(figures.slowerThanMs)}`;
  return '—';
}

/**
 * The end of a latency scale shared by every row of one table: the slowest figure, rounded up
 * to 1, 2 or 5 times a power of ten so the scale moves in steps, not with every sample.
 */
export function latencyScaleMs(figuresMs: readonly number[]): number {
  const slowest = Math.max(1, ...figuresMs.filter((ms) => Number.isFinite(ms)));
  const power = 10 ** Math.floor(Math.log10(slowest));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= slowest)!;
  return step * power;
}
