/**
 * The throughput each candidate delivers here, for the expected-time choice: remembered from
 * earlier transfers on this network, or, for a repository big enough that it matters and servers
 * nothing is known of, measured now with a short transfer (transfer/throughput-probe.ts). What a
 * measurement finds is remembered too, so the next discovery on this network needs none.
 */
import type { Candidate } from '../../../shared/contract';
import type { PrimaryCredentials } from '../bitbucket/rest-client';
import type { ThroughputMemory } from '../transfer/throughput';
import { probeThroughput, type ThroughputProbeOptions, type ThroughputProbeResult } from '../transfer/throughput-probe';
import type { KnownThroughput } from './choose';
import type { FoundCandidate } from './find-candidates';
import { toAuth } from './freshness';

export interface ThroughputProbePolicy {
  /** Below this size a clone is mostly set-up: a measurement would cost more than it can save. Default 8 MB. */
  minSizeBytes: number;
  /** The best-ranked this many candidates are considered; those without a figure are measured. Default 3. */
  topCandidates: number;
  /** Per server: payload cap and time cap. */
  maxBytes: number;
  maxMs: number;
}

export const defaultProbePolicy: ThroughputProbePolicy = { minSizeBytes: 8_000_000, topCandidates: 3, maxBytes: 2_000_000, maxMs: 250 };

/** The server a candidate's transfers come from: its HTTP clone URL when it has one (the memory keys by its origin). */
const serverUrl = (candidate: Pick<FoundCandidate, 'cloneUrls' | 'baseUrl'>) => candidate.cloneUrls.http ?? candidate.baseUrl;

export async function rememberedThroughput(memory: ThroughputMemory | undefined, networkId: string | undefined, candidates: FoundCandidate[]): Promise<Map<string, KnownThroughput>> {
  const figures = new Map<string, KnownThroughput>();
  if (!memory || !networkId) return figures;
  await Promise.all(
    candidates.map(async (candidate) => {
      const estimate = await memory.estimate({ networkId, origin: serverUrl(candidate) }).catch(() => undefined);
      if (estimate) figures.set(candidate.id, { bytesPerSecond: estimate.bytesPerSecond, from: 'transfers' });
    }),
  );
  return figures;
}

/** A branch tip to ask for: the default branch's names first, else any branch. */
export function tipOf(refs: ReadonlyMap<string, string> | undefined): string | undefined {
  if (!refs) return undefined;
  for (const name of ['refs/heads/main', 'refs/heads/master']) {
    const oid = refs.get(name);
    if (oid) return oid;
  }
  for (const [name, oid] of refs) if (name.startsWith('refs/heads/')) return oid;
  return undefined;
}

export interface ProbeRequest {
  /** The rows of a first choice (made with the figures already known). */
  rows: Candidate[];
  found: FoundCandidate[];
  sizeBytes: number | null | undefined;
  /** A commit each server has: its own listing's tip, else the primary's. */
  tipFor(candidateId: string): Promise<string | undefined>;
  credentials?: PrimaryCredentials;
  ca?: string | Buffer;
  signal: AbortSignal;
  memory?: ThroughputMemory;
  networkId?: string;
  policy?: Partial<ThroughputProbePolicy>;
  probe?: (options: ThroughputProbeOptions) => Promise<ThroughputProbeResult>;
  /** Measure the best-ranked servers even when figures are remembered: the user asked to measure again. */
  remeasure?: boolean;
  /** Measure nothing when this says so (a transfer is running on this machine's link). */
  skip?: Promise<boolean>;
}

export interface ProbeOutcome {
  figures: Map<string, KnownThroughput>;
  /** What the measurements moved and took; null when none was made. */
  cost: { bytes: number; durationMs: number; servers: number } | null;
}

/** The servers a throughput measurement could go to, closest first (a lower bound where that is all there is). */
function measurable(rows: Candidate[], sizeBytes: number | null | undefined, policy: ThroughputProbePolicy): Candidate[] {
  if (typeof sizeBytes !== 'number' || sizeBytes < policy.minSizeBytes) return [];
  return rows
    .filter((row) => (row.status === 'healthy' || row.status === 'behind') && row.cloneUrls.http)
    .sort((a, b) => (a.rttMs ?? a.slowerThanMs ?? Infinity) - (b.rttMs ?? b.slowerThanMs ?? Infinity));
}

/**
 * Whether the few worth measuring cannot be told apart from the rest yet: more servers than are
 * measured, and some of them ranked only by a lower bound (ruled out early on round trip, where a
 * 22 ms bound says nothing of whether the server is at 25 or at 40 ms). Their round trips measured
 * to the end (a fraction of a second) then pick the few; otherwise which fat mirror is measured
 * would depend on when a watchdog fired.
 */
export function throughputRankNeedsFullRoundTrips(rows: Candidate[], sizeBytes: number | null | undefined, policy: Partial<ThroughputProbePolicy> = {}): boolean {
  const { topCandidates } = { ...defaultProbePolicy, ...policy };
  const usable = measurable(rows, sizeBytes, { ...defaultProbePolicy, ...policy });
  return usable.length > topCandidates && usable.some((row) => row.rttMs === null && row.slowerThanMs !== null);
}

/** The candidates worth measuring: the best-ranked few (closest first) that have no figure. */
function worthMeasuring(request: ProbeRequest, policy: ThroughputProbePolicy): Candidate[] {
  const usable = measurable(request.rows, request.sizeBytes, policy);
  if (usable.length < 2) return [];
  const top = usable.slice(0, policy.topCandidates);
  return request.remeasure ? top : top.filter((row) => row.throughputBytesPerSec === null);
}

export async function measureUnknownThroughput(request: ProbeRequest): Promise<ProbeOutcome> {
  const policy = { ...defaultProbePolicy, ...request.policy };
  const figures = new Map<string, KnownThroughput>();
  const chosen = worthMeasuring(request, policy);
  if (chosen.length === 0 || (await request.skip)) return { figures, cost: null };
  const probe = request.probe ?? probeThroughput;
  const auth = toAuth(request.credentials);
  let bytes = 0;
  let durationMs = 0;
  let servers = 0;
  // One after another: at once, they would share this machine's downlink (see throughput-probe.ts).
  for (const row of chosen) {
    const candidate = request.found.find((entry) => entry.id === row.id);
    const want = await request.tipFor(row.id);
    if (!candidate?.cloneUrls.http || !want) continue;
    if (request.signal.aborted) break;
    const result = await probe({
      url: candidate.cloneUrls.http,
      want,
      auth: candidate.kind === 'primary' || candidate.sendsToken ? auth : undefined,
      ca: request.ca,
      signal: request.signal,
      maxBytes: policy.maxBytes,
      maxMs: policy.maxMs,
    }).catch(() => undefined); // a server that cannot be measured keeps its presumed figure
    if (!result) continue;
    servers += 1;
    bytes += result.bytes;
    durationMs += result.totalMs;
    if (result.bytesPerSecond === undefined) continue;
    figures.set(row.id, { bytesPerSecond: result.bytesPerSecond, from: 'probe' });
    if (request.memory && request.networkId) {
      await request.memory.record({ networkId: request.networkId, origin: serverUrl(candidate) }, { bytes: result.payloadBytes, durationMs: result.payloadMs, deliberate: true }).catch(() => {});
    }
  }
  return { figures, cost: servers > 0 ? { bytes, durationMs: Math.round(durationMs), servers } : null };
}
