/**
 * How far a server is: a bar on a linear scale shared by every row of one table (0 to about the
 * slowest figure, so 15 ms draws a sixteenth of 255 ms), a mark for each round trip as it
 * streams in, and the figure in words, the same as the CLI prints: the median, or "≥ N ms" when
 * measuring stopped because the server could not beat the closest.
 */
import { formatLatencyMs, latencyText, stoppedEarlyWords } from '../../../shared/latency';
import { median } from '../format';

export type LatencyFigure =
  /** The median of every round trip: from the result, or of a stopped server measured to the end afterwards. */
  | { kind: 'median'; ms: number }
  /** Measuring stopped early: at least this slow. */
  | { kind: 'at-least'; ms: number }
  /** Round trips still arriving: their median so far. */
  | { kind: 'live'; ms: number }
  | { kind: 'none' };

export interface LatencyInputs {
  samples: number[];
  rttMs?: number | null;
  slowerThanMs?: number | null;
  /** How many round trips each server gets. */
  expected: number;
}

/**
 * The figure for one row. A server ruled out early keeps being timed after the choice; once all
 * its round trips are in, its median is known and shown (as `mirror-clone discover` shows it).
 */
export function latencyFigure({ samples, rttMs, slowerThanMs, expected }: LatencyInputs): LatencyFigure {
  if (rttMs != null) return { kind: 'median', ms: rttMs };
  if (slowerThanMs != null) return samples.length >= expected ? { kind: 'median', ms: median(samples)! } : { kind: 'at-least', ms: slowerThanMs };
  if (samples.length > 0) return { kind: 'live', ms: median(samples)! };
  return { kind: 'none' };
}

function figureText(figure: LatencyFigure, samples: number, expected: number, measuring: boolean): string {
  switch (figure.kind) {
    case 'median':
      return latencyText({ rttMs: figure.ms, slowerThanMs: null });
    case 'at-least':
      return latencyText({ rttMs: null, slowerThanMs: figure.ms });
    case 'live':
      return `~${formatLatencyMs(figure.ms)} (${samples}/${expected})`;
    case 'none':
      return measuring ? 'measuring…' : '—';
  }
}

export interface LatencyBarProps extends LatencyInputs {
  measuring: boolean;
  label: string;
  /** The end of the scale every row of the table shares (see `latencyScaleMs`). */
  scaleMs: number;
}

export function LatencyBar({ samples, rttMs, slowerThanMs, expected, measuring, label, scaleMs }: LatencyBarProps) {
  const figure = latencyFigure({ samples, rttMs, slowerThanMs, expected });
  const text = figureText(figure, samples.length, expected, measuring);
  const position = (ms: number) => Math.min(1, Math.max(0, ms / scaleMs));
  const final = figure.kind === 'median' || figure.kind === 'at-least';
  const spoken = figure.kind === 'at-least' ? `${label}: at least ${formatLatencyMs(figure.ms)}, ${stoppedEarlyWords}` : `${label}: ${text}`;
  return (
    <div className="latency" data-testid="latency" data-final={final ? 'true' : 'false'} data-kind={figure.kind} data-samples={samples.length}>
      <div className="latency__track" role="img" aria-label={spoken}>
        {figure.kind !== 'none' && (
          <div
            className={`latency__fill latency__fill--${figure.kind}`}
            data-testid="latency-fill"
            // At least 2px, so a 1 ms server still shows a bar.
            style={{ width: `max(2px, ${position(figure.ms) * 100}%)` }}
          />
        )}
        {samples.map((ms, index) => (
          <span key={index} className="latency__tick" style={{ left: `${position(ms) * 100}%` }} />
        ))}
      </div>
      <span className="latency__value" data-testid="latency-value" title={figure.kind === 'at-least' ? stoppedEarlyWords : undefined}>
        {text}
      </span>
    </div>
  );
}

/** What the bars and marks mean, and the scale they share; under the table of servers. */
export function LatencyLegend({ scaleMs, stopped }: { scaleMs: number; stopped: boolean }) {
  return (
    <p className="latency-legend" data-testid="latency-legend">
      <span className="latency-legend__item">
        <span className="latency-legend__swatch latency-legend__swatch--median" aria-hidden="true" /> Bar: median round trip, every server on one scale from 0 to {formatLatencyMs(scaleMs)}
      </span>
      <span className="latency-legend__item">
        <span className="latency-legend__swatch latency-legend__swatch--tick" aria-hidden="true" /> Mark: one round trip
      </span>
      {stopped && (
        <span className="latency-legend__item">
          <span className="latency-legend__swatch latency-legend__swatch--at-least" aria-hidden="true" /> ≥: at least this slow, {stoppedEarlyWords}
        </span>
      )}
    </p>
  );
}
