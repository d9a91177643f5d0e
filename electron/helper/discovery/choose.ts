/**
 * Chooses where to clone from: the lowest measured latency among candidates that are healthy
 * (/status RUNNING), hold the repository, and are not behind the primary. A local pin wins when
 * it is usable, then the user's preferred mirror in Bitbucket; either way the reason line says
 * what the measurement would have picked, so the user can see what a preference costs.
 */
import type { Candidate, CandidateStatus } from '../../../shared/contract';
import { formatLatencyMs as formatMs } from '../../../shared/latency';
import type { FoundCandidate } from './find-candidates';

export interface CandidateMeasurement {
  outcome: 'measured' | 'slower' | 'unhealthy' | 'unreachable' | 'timeout' | 'cancelled';
  medianMs?: number;
  spreadMs?: number;
  connectMs?: number;
  samplesMs: number[];
  /** For 'slower': it takes at least this long. */
  lowerBoundMs?: number;
  /** /status state or the failure, in words. */
  detail?: string;
}

export interface Freshness {
  behind: boolean;
  refs: string[];
}

export interface Preferences {
  pinned?: string;
  bitbucketPreferred?: string;
}

export interface Choice {
  candidates: Candidate[];
  chosen: string | null;
  reason: string;
  /** What decided: the user's pin, their Bitbucket preference, the measurement, or nothing usable. */
  by: 'pin' | 'preference' | 'latency' | 'none';
}

function latencyWords(measurement: CandidateMeasurement | undefined): string {
  if (!measurement) return 'not measured';
  if (measurement.medianMs !== undefined) return `${formatMs(measurement.medianMs)} median`;
  if (measurement.outcome === 'slower' && measurement.lowerBoundMs !== undefined) return `≥ ${formatMs(measurement.lowerBoundMs)}`;
  return measurement.outcome;
}

function statusAfterMeasuring(found: FoundCandidate, measurement: CandidateMeasurement | undefined, freshness: Freshness | undefined): CandidateStatus {
  if (!found.offered) return found.status;
  if (measurement?.outcome === 'unreachable' || measurement?.outcome === 'timeout') return 'unreachable';
  if (measurement?.outcome === 'unhealthy') return 'unhealthy';
  if (freshness?.behind) return 'behind';
  if (!measurement || measurement.outcome === 'cancelled') return 'unknown';
  return 'healthy';
}

const withoutFinalStop = (text: string) => text.replace(/\.+$/, '');

/** What decided the choice, for the chosen row's Why: the numbers are in the reason line already. */
const chosenBecause: Record<Choice['by'], string> = {
  latency: 'Closest of the servers measured.',
  pin: 'Pinned by you.',
  preference: 'Your preferred mirror in Bitbucket.',
  none: '',
};

/**
 * Why a row was not chosen, in words: the figures are in its own latency column, so a healthy
 * server's Why says how it compares ("slower than near"), never its number again.
 */
function whyNot(
  found: FoundCandidate,
  status: CandidateStatus,
  measurement: CandidateMeasurement | undefined,
  freshness: Freshness | undefined,
  context: { fastest?: FoundCandidate; chosen?: FoundCandidate; by: Choice['by'] },
): string {
  if (found.reason) return found.reason;
  const detail = measurement?.detail ? withoutFinalStop(measurement.detail) : undefined;
  switch (status) {
    case 'unreachable':
      return `${found.name} could not be reached${detail ? `: ${detail}` : ''}.`;
    case 'unhealthy':
      return `${found.name} is not running normally${detail ? ` (${detail})` : ''}.`;
    case 'behind':
      return `${found.name} is behind the primary on ${freshness!.refs.length} ref${freshness!.refs.length === 1 ? '' : 's'}.`;
    default: {
      const { fastest, chosen, by } = context;
      if (measurement?.outcome === 'slower') return `Stopped measuring: could not beat ${fastest?.name ?? 'the closest'}.`;
      if (measurement?.medianMs === undefined) return 'Not measured.';
      if (found === fastest && chosen) return `Closest measured, but ${chosen.name} is ${by === 'pin' ? 'pinned by you' : 'your preferred mirror in Bitbucket'}.`;
      return fastest ? `Slower to answer than ${fastest.name}.` : 'Not measured.';
    }
  }
}

export function choose(found: FoundCandidate[], measurements: Map<string, CandidateMeasurement>, freshness: Map<string, Freshness>, preferences: Preferences = {}): Choice {
  const rows = found.map((candidate) => {
    const measurement = measurements.get(candidate.id);
    const fresh = freshness.get(candidate.id);
    const status = statusAfterMeasuring(candidate, measurement, fresh);
    return { candidate, measurement, fresh, status, eligible: candidate.offered && status === 'healthy' };
  });
  const byLatency = rows
    .filter((row) => row.eligible && row.measurement?.medianMs !== undefined)
    .sort((a, b) => a.measurement!.medianMs! - b.measurement!.medianMs!);
  const fastest = byLatency[0];
  const primaryRow = rows.find((row) => row.candidate.kind === 'primary');

  let chosen: typeof fastest | undefined = fastest;
  let reason: string;
  let by: Choice['by'] = 'latency';
  const pinned = rows.find((row) => row.candidate.id === preferences.pinned);
  const preferred = rows.find((row) => row.candidate.id === preferences.bitbucketPreferred);
  const comparedWithFastest = (row: typeof fastest) =>
    fastest && row !== fastest ? ` (closest measured: ${fastest.candidate.name}, ${latencyWords(fastest.measurement)})` : '';

  if (pinned?.eligible) {
    chosen = pinned;
    by = 'pin';
    reason = `${pinned.candidate.name}: pinned by you, ${latencyWords(pinned.measurement)}${comparedWithFastest(pinned)}`;
  } else if (preferred?.eligible) {
    chosen = preferred;
    by = 'preference';
    reason = `${preferred.candidate.name}: your preferred mirror in Bitbucket, ${latencyWords(preferred.measurement)}${comparedWithFastest(preferred)}`;
  } else if (fastest) {
    const against = fastest === primaryRow ? byLatency[1] : primaryRow;
    const againstName = against === primaryRow ? 'primary' : against?.candidate.name;
    // A server ruled out early has only the lower bound it had then, which its full median (shown
    // in its row once measured) soon exceeds: say what was decided instead of a figure that ages.
    const versus = !against ? '' : against.measurement?.outcome === 'slower' ? ` vs ${againstName}, which could not beat it` : ` vs ${againstName} ${latencyWords(against.measurement)}`;
    reason = `${fastest.candidate.name}: ${latencyWords(fastest.measurement)}${versus}`;
    if (pinned) reason += `; your pin ${pinned.candidate.name} is not usable now (${pinned.status})`;
  } else {
    chosen = undefined;
    by = 'none';
    reason = 'No server can serve this repository right now: the primary and every mirror are unreachable or unhealthy.';
  }

  const candidates: Candidate[] = rows.map((row) => ({
    id: row.candidate.id,
    name: row.candidate.name,
    kind: row.candidate.kind,
    manual: row.candidate.manual,
    baseUrl: row.candidate.baseUrl,
    cloneUrls: row.candidate.cloneUrls,
    status: row.status,
    mirrorStatus: row.candidate.mirrorStatus,
    available: row.candidate.available,
    rttMs: row.measurement?.medianMs ?? null,
    spreadMs: row.measurement?.spreadMs ?? null,
    connectMs: row.measurement?.connectMs ?? null,
    samples: row.measurement?.samplesMs ?? [],
    slowerThanMs: row.measurement?.outcome === 'slower' ? (row.measurement.lowerBoundMs ?? null) : null,
    behind: row.fresh ? row.fresh.behind : null,
    behindRefs: row.fresh?.refs ?? [],
    behindForMs: null,
    throughputBytesPerSec: null,
    throughputFrom: null,
    expectedMs: null,
    insecure: row.candidate.insecure,
    chosen: row === chosen,
    reason: row === chosen ? chosenBecause[by] : whyNot(row.candidate, row.status, row.measurement, row.fresh, { fastest: fastest?.candidate, chosen: chosen?.candidate, by }),
  }));
  return { candidates, chosen: chosen?.candidate.id ?? null, reason, by };
}
