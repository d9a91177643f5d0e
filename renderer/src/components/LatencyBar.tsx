/**
 * How far a server is: a bar on a logarithmic scale (1 ms to 1 s, so 2, 20 and 200 ms all read
 * apart), a tick for each round trip as it streams in, then the final median or "> N ms".
 */
import { formatMs } from '../format';

const position = (ms: number) => Math.min(1, Math.max(0.02, Math.log10(Math.max(1, ms)) / 3));

export interface LatencyBarProps {
  samples: number[];
  /** The final median, once known. */
  rttMs?: number | null;
  slowerThanMs?: number | null;
  expected: number;
  measuring: boolean;
  label: string;
}

export function LatencyBar({ samples, rttMs, slowerThanMs, expected, measuring, label }: LatencyBarProps) {
  const live = samples.length ? [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]! : undefined;
  const value = rttMs ?? live ?? slowerThanMs ?? undefined;
  const slower = rttMs == null && slowerThanMs != null;
  let text: string;
  if (rttMs != null) text = formatMs(rttMs);
  else if (slower) text = `> ${formatMs(slowerThanMs)}`;
  else if (live !== undefined) text = `~${formatMs(live)} (${samples.length}/${expected})`;
  else text = measuring ? 'measuring…' : '—';
  const final = rttMs != null || slower;
  return (
    <div className="latency" data-testid="latency" data-final={final ? 'true' : 'false'} data-samples={samples.length}>
      <div className="latency__track" role="img" aria-label={`${label}: ${text}`}>
        {value !== undefined && (
          <div className={`latency__fill${final ? '' : ' latency__fill--live'}${slower ? ' latency__fill--slower' : ''}`} style={{ width: `${position(value) * 100}%` }} />
        )}
        {samples.map((ms, index) => (
          <span key={index} className="latency__tick" style={{ left: `${position(ms) * 100}%` }} />
        ))}
      </div>
      <span className="latency__value" data-testid="latency-value">{text}</span>
    </div>
  );
}
