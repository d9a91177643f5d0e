/**
 * Chooses where to clone from: the smallest expected clone time (expected-time.ts: set-up + size
 * ÷ throughput + the top-up when a mirror lags) among candidates that are healthy (/status
 * RUNNING) and hold the repository; without the size, a typical size is presumed. A mirror a few commits behind stays a candidate, its top-up
 * counted; one that has stayed behind without catching up for longer than a sync should take is
 * passed over ('out-of-sync'), with the reason. Without any measured throughput the model
 * reduces to the round trip (plus the top-up), and the reason line says so in round trips. A local pin wins when it is usable, then the user's preferred mirror in Bitbucket;
 * either way the reason line says what the measurement would have picked, so the user can see
 * what a preference costs.
 *
 * A source the user named for a clone (`named`) is taken as it is: nothing was measured to rank
 * the candidates, so a server Bitbucket offers and no measurement ruled out is presumed usable,
 * and the named one is chosen when it is.
 */
import type { Candidate, CandidateStatus } from '../../../shared/contract';
import { formatLatencyMs as formatMs } from '../../../shared/latency';
import { formatExpectedTime, formatRate } from '../../../shared/format';
import type { FoundCandidate } from './find-candidates';
import { expectedCloneMs } from './expected-time';

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
  /** The mirror's refs as listed for the comparison. */
  mirrorRefs?: ReadonlyMap<string, string>;
}

export interface Preferences {
  /** The candidate the user named for this clone: round trips were not measured (see the top). */
  named?: string;
  pinned?: string;
  bitbucketPreferred?: string;
}

export interface Choice {
  candidates: Candidate[];
  chosen: string | null;
  reason: string;
  /** What decided: the user's pin, their Bitbucket preference, the expected time, the round trip alone, or nothing usable. */
  by: 'pin' | 'preference' | 'expected-time' | 'latency' | 'none';
}

export interface KnownThroughput {
  bytesPerSecond: number;
  /** Earlier transfers from it on this network, or a short measurement just now. */
  from: 'transfers' | 'probe';
}

/** What the expected time rests on besides the round trips. */
export interface ChoiceInputs {
  /** The repository's size (Bitbucket's sizes answer); null: unknown. */
  sizeBytes?: number | null;
  /** By candidate id. */
  throughput?: ReadonlyMap<string, KnownThroughput>;
  /** By candidate id: how long a behind mirror has been behind without catching up. */
  behindForMs?: ReadonlyMap<string, number>;
  /** Behind for longer than this without catching up: its sync is taken to be broken. Default 10 min. */
  outOfSyncAfterMs?: number;
}

export const defaultOutOfSyncAfterMs = 10 * 60_000;

/**
 * With no size, a typical repository is presumed so that the top-up of a lagging mirror is
 * weighed against a transfer of some length, not against nothing.
 */
const presumedSizeBytes = 10_000_000;

function latencyWords(measurement: CandidateMeasurement | undefined): string {
  if (!measurement) return 'not measured';
  if (measurement.medianMs !== undefined) return `${formatMs(measurement.medianMs)} median`;
  if (measurement.outcome === 'slower' && measurement.lowerBoundMs !== undefined) return `≥ ${formatMs(measurement.lowerBoundMs)}`;
  return measurement.outcome;
}

function statusAfterMeasuring(found: FoundCandidate, measurement: CandidateMeasurement | undefined, freshness: Freshness | undefined, stuckForMs: number | undefined, outOfSyncAfterMs: number, presumeUsable: boolean): CandidateStatus {
  if (!found.offered) return found.status;
  if (measurement?.outcome === 'unreachable' || measurement?.outcome === 'timeout') return 'unreachable';
  if (measurement?.outcome === 'unhealthy') return 'unhealthy';
  if (freshness?.behind) return stuckForMs !== undefined && stuckForMs >= outOfSyncAfterMs ? 'out-of-sync' : 'behind';
  // Not measured because the user named the source: offered (by Bitbucket, or by hand) is presumed usable.
  if (!measurement || measurement.outcome === 'cancelled') return presumeUsable ? 'healthy' : 'unknown';
  return 'healthy';
}

const withoutFinalStop = (text: string) => text.replace(/\.+$/, '');

/** What decided the choice, for the chosen row's Why: the numbers are in the reason line already. */
const chosenBecause: Record<Choice['by'], string> = {
  'expected-time': 'Quickest expected clone of the servers measured.',
  latency: 'Closest of the servers measured.',
  pin: 'Pinned by you.',
  preference: 'Your preferred mirror in Bitbucket.',
  none: '',
};

/** "1 ref" or "3 refs". */
const refsWord = (count: number) => `${count} ref${count === 1 ? '' : 's'}`;

/** One candidate as the choice sees it. */
interface Row {
  candidate: FoundCandidate;
  measurement?: CandidateMeasurement;
  fresh?: Freshness;
  status: CandidateStatus;
  eligible: boolean;
  /** The median, or the lower bound it was ruled out with. */
  rttMs?: number;
  known?: KnownThroughput;
  /** The expected time the ranking uses (with presumed figures where none are known). */
  rankMs: number;
  /** The expected time shown: only when the size and the throughput are both known. */
  expectedMs: number | null;
  stuckForMs?: number;
}

/**
 * Why a row was not chosen, in words: the figures are in its own columns, so a healthy server's
 * Why says how it compares ("closer, but slower to deliver than mid"), never its number again.
 */
function whyNot(row: Row, context: { best?: Row; chosen?: Row; by: Choice['by']; ranking: 'expected-time' | 'latency' }): string {
  const { candidate: found, status, measurement, fresh } = row;
  if (found.reason) return found.reason;
  const detail = measurement?.detail ? withoutFinalStop(measurement.detail) : undefined;
  const { best, chosen, by } = context;
  const behindOn = refsWord(fresh?.refs.length ?? 0);
  switch (status) {
    case 'unreachable':
      return `${found.name} could not be reached${detail ? `: ${detail}` : ''}.`;
    case 'unhealthy':
      return `${found.name} is not running normally${detail ? ` (${detail})` : ''}.`;
    case 'out-of-sync':
      return `${found.name} has been behind the primary on ${behindOn} for ${formatExpectedTime(row.stuckForMs ?? 0).replace(/^about /, '')} without catching up: its sync looks broken.`;
    case 'healthy':
    case 'behind': {
      const lag = status === 'behind' ? ` It is behind on ${behindOn}; the rest would come from the primary.` : '';
      if (measurement?.outcome === 'slower' && by !== 'expected-time') return `Stopped measuring: could not beat ${best?.candidate.name ?? 'the closest'}.${lag}`;
      if (row.rttMs === undefined || !chosen) return `Not measured.${lag}`;
      if ((by === 'pin' || by === 'preference') && row === best) {
        return `${context.ranking === 'expected-time' ? 'Quickest expected' : 'Closest measured'}, but ${chosen.candidate.name} is ${by === 'pin' ? 'pinned by you' : 'your preferred mirror in Bitbucket'}.${lag}`;
      }
      const closer = chosen.rttMs !== undefined && row.rttMs < chosen.rttMs;
      if (by === 'expected-time' && !row.known) return `Throughput not measured; by its round trip, a clone from it is expected to take longer than from ${chosen.candidate.name}.${lag}`;
      if (by === 'expected-time') return `${closer ? 'Closer, but a' : 'A'} clone from it is expected to take longer than from ${chosen.candidate.name}.${lag}`;
      if (closer && status === 'behind') return `Closer, but behind on ${behindOn}: the top-up from the primary would cost more than it saves.`;
      return `Slower to answer than ${(best ?? chosen).candidate.name}.${lag}`;
    }
    default:
      return 'Not measured.';
  }
}

/** "about 20 s at 40 MB/s here", or the round trip when the expected time is not known. */
function expectedWords(row: Row): string {
  if (row.expectedMs !== null && row.known) return `${formatExpectedTime(row.expectedMs)} at ${formatRate(row.known.bytesPerSecond)} here`;
  if (row.known) return `${formatRate(row.known.bytesPerSecond)} here (size not known)`;
  return `${latencyWords(row.measurement)}, throughput not measured`;
}

/** The second half of an expected-time reason: why the closest server, or the runner-up, lost. */
function againstWords(best: Row, ranked: Row[]): string {
  const closest = [...ranked].sort((a, b) => (a.rttMs ?? Infinity) - (b.rttMs ?? Infinity))[0];
  if (closest && closest !== best) {
    const name = closest.candidate.name;
    if (closest.status === 'behind') return `; ${name} is closer but behind on ${refsWord(closest.fresh?.refs.length ?? 0)}`;
    if (closest.known) return `; ${name} is closer but delivers ${formatRate(closest.known.bytesPerSecond)}${closest.expectedMs !== null ? ` (${formatExpectedTime(closest.expectedMs)})` : ''}`;
    return `; ${name} is closer, throughput not measured`;
  }
  const next = ranked[1];
  if (!next) return '';
  return `; next: ${next.candidate.name}, ${next.expectedMs !== null ? formatExpectedTime(next.expectedMs) : latencyWords(next.measurement)}`;
}

export function choose(
  found: FoundCandidate[],
  measurements: Map<string, CandidateMeasurement>,
  freshness: Map<string, Freshness>,
  preferences: Preferences = {},
  inputs: ChoiceInputs = {},
): Choice {
  const outOfSyncAfterMs = inputs.outOfSyncAfterMs ?? defaultOutOfSyncAfterMs;
  const sizeBytes = typeof inputs.sizeBytes === 'number' && inputs.sizeBytes > 0 ? inputs.sizeBytes : undefined;
  const roundTrip = (measurement: CandidateMeasurement | undefined) => measurement?.medianMs ?? (measurement?.outcome === 'slower' ? measurement.lowerBoundMs : undefined);
  const primaryFound = found.find((candidate) => candidate.kind === 'primary');
  const primaryRttMs = primaryFound ? roundTrip(measurements.get(primaryFound.id)) : undefined;

  const rows: Row[] = found.map((candidate) => {
    const measurement = measurements.get(candidate.id);
    const fresh = freshness.get(candidate.id);
    const stuckForMs = fresh?.behind ? inputs.behindForMs?.get(candidate.id) : undefined;
    const status = statusAfterMeasuring(candidate, measurement, fresh, stuckForMs, outOfSyncAfterMs, preferences.named !== undefined);
    const rttMs = roundTrip(measurement);
    const known = inputs.throughput?.get(candidate.id);
    const rankMs = expectedCloneMs(
      { rttMs, connectMs: measurement?.connectMs, bytesPerSecond: known?.bytesPerSecond, behind: status === 'behind' },
      { sizeBytes: sizeBytes ?? presumedSizeBytes, primaryRttMs },
    );
    const eligible = candidate.offered && (status === 'healthy' || status === 'behind') && (rttMs !== undefined || preferences.named !== undefined);
    return { candidate, measurement, fresh, status, eligible, rttMs, known, rankMs, expectedMs: eligible && sizeBytes !== undefined && known ? Math.round(rankMs) : null, stuckForMs };
  });
  const ranked = rows.filter((row) => row.eligible).sort((a, b) => a.rankMs - b.rankMs);
  const best = ranked[0];
  const primaryRow = rows.find((row) => row.candidate.kind === 'primary');
  // Throughput decides even without the size: a typical size is presumed for the ranking, and no
  // expected time is shown.
  const byExpectedTime = ranked.some((row) => row.known);

  let chosen: Row | undefined = best;
  let reason: string;
  let by: Choice['by'] = byExpectedTime ? 'expected-time' : 'latency';
  const named = rows.find((row) => row.candidate.id === preferences.named);
  const pinned = rows.find((row) => row.candidate.id === preferences.pinned);
  const preferred = rows.find((row) => row.candidate.id === preferences.bitbucketPreferred);
  const comparedWithBest = (row: Row) => {
    if (!best || row === best) return '';
    return byExpectedTime ? ` (quickest expected: ${best.candidate.name}, ${expectedWords(best)})` : ` (closest measured: ${best.candidate.name}, ${latencyWords(best.measurement)})`;
  };
  const lagNote = (row: Row) => (row.status === 'behind' ? `; behind on ${refsWord(row.fresh?.refs.length ?? 0)}, the rest comes from the primary` : '');

  if (named?.eligible) {
    // The user's own choice for this clone: 'pin' is the nearest of the answers a discovery gives.
    chosen = named;
    by = 'pin';
    reason = `${named.candidate.name}: chosen by you, round trips not measured${lagNote(named)}`;
  } else if (pinned?.eligible) {
    chosen = pinned;
    by = 'pin';
    reason = `${pinned.candidate.name}: pinned by you, ${latencyWords(pinned.measurement)}${comparedWithBest(pinned)}${lagNote(pinned)}`;
  } else if (preferred?.eligible) {
    chosen = preferred;
    by = 'preference';
    reason = `${preferred.candidate.name}: your preferred mirror in Bitbucket, ${latencyWords(preferred.measurement)}${comparedWithBest(preferred)}${lagNote(preferred)}`;
  } else if (best && byExpectedTime) {
    reason = `${best.candidate.name}: ${expectedWords(best)}${againstWords(best, ranked)}${lagNote(best)}`;
    if (pinned) reason += `; your pin ${pinned.candidate.name} is not usable now (${pinned.status})`;
  } else if (best) {
    const against = best === primaryRow ? ranked[1] : primaryRow;
    const againstName = against === primaryRow ? 'primary' : against?.candidate.name;
    // A server ruled out early has only the lower bound it had then, which its full median (shown
    // in its row once measured) soon exceeds: say what was decided instead of a figure that ages.
    const versus = !against ? '' : against.measurement?.outcome === 'slower' ? ` vs ${againstName}, which could not beat it` : ` vs ${againstName} ${latencyWords(against.measurement)}`;
    reason = `${best.candidate.name}: ${latencyWords(best.measurement)}${versus}${lagNote(best)}`;
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
    behindForMs: row.stuckForMs ?? null,
    throughputBytesPerSec: row.known ? Math.round(row.known.bytesPerSecond) : null,
    throughputFrom: row.known?.from ?? null,
    expectedMs: row.expectedMs,
    insecure: row.candidate.insecure,
    chosen: row === chosen,
    reason:
      row === chosen
        ? `${row === named ? 'Chosen by you.' : chosenBecause[by]}${row.status === 'behind' ? ` It is behind on ${refsWord(row.fresh?.refs.length ?? 0)}; the rest comes from the primary.` : ''}`
        : whyNot(row, { best, chosen, by, ranking: byExpectedTime ? 'expected-time' : 'latency' }),
  }));
  return { candidates, chosen: chosen?.candidate.id ?? null, reason, by };
}
