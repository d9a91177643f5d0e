/**
 * `discovery.run`: from a pasted reference to a ranked list of candidates and a choice.
 *
 *   resolve the primary → ask it for the repository and its mirrors → measure every offered
 *   candidate (streaming samples) → check each mirror's refs against the primary's → choose,
 *   with a reason.
 */
import { z } from 'zod';
import { ContractError, type CloneSource, type discoveryMethods, type DiscoveryResult } from '../../../shared/contract';
import type { EventSink, Handlers } from '../rpc/dispatcher';
import { createBitbucketClient, type BitbucketClient, type BitbucketClientOptions, type PrimaryCredentials } from '../bitbucket/rest-client';
import type { PrimariesStore } from '../store/primaries-store';
import type { CredentialSource } from '../primaries/credentials';
import type { ProbeReport } from '../probe';
import type { MeasurementCache } from '../network/measurement-cache';
import type { RemoteRefs } from '../git/remote-refs';
import { findCandidates, type FoundCandidate } from './find-candidates';
import { choose, type CandidateMeasurement, type Choice, type Freshness } from './choose';
import { resolveTarget } from './resolve-target';
import { createLatencyMeasurement, toMeasurement } from './latency-measurement';
import { checkCloneUrl } from '../../../shared/git-url-safety';
import { askRelease, fetchRepositorySize } from '../bitbucket/repository-size';
import type { ThroughputMemory } from '../transfer/throughput';
import type { LagMemory } from './lag-memory';
import type { SourceMemory } from './source-memory';
import { normaliseBaseUrl } from '../bitbucket/rest-client';
import type { RepositoryIds } from './repository-ids';
import type { ReleaseMemory } from './release-memory';
import { checkLargeFiles } from '../lfs/attributes-check';
import { measureUnknownThroughput, rememberedThroughput, throughputRankNeedsFullRoundTrips, tipOf, type ProbeOutcome, type ProbeRequest, type ThroughputProbePolicy } from './throughput-figures';
import { namedCandidate, stillStands } from './named-source';

function sshHostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const checked = checkCloneUrl(url);
  return checked.ok ? checked.hostname : undefined;
}

export type FreshnessCheck = (options: {
  primary: Pick<FoundCandidate, 'cloneUrls'>;
  credentials?: PrimaryCredentials;
  signal?: AbortSignal;
  /** Extra trusted CA certificates (the company CA from Settings). */
  ca?: string | Buffer;
}) => {
  compare(mirrors: FoundCandidate[]): Promise<Map<string, Freshness>>;
  /** The primary's refs as listed for the comparison (performance.now() time), if that worked. */
  primaryRefs(): Promise<ListedRefs | undefined>;
};

export interface ListedRefs {
  refs: RemoteRefs;
  listedAt: number;
}

export interface DiscoveryServiceDeps {
  primaries: PrimariesStore;
  credentials: CredentialSource;
  clientOptions(): Promise<Pick<BitbucketClientOptions, 'ca' | 'pool' | 'request'>>;
  emit: EventSink;
  defaultSamples(): number;
  checkFreshness: FreshnessCheck;
  probeTimeoutMs?: number;
  /** Reuse of recent measurements on the same network; none: always measure. */
  measurements?: MeasurementCache;
  networkIdentity(): Promise<{ id: string }>;
  /** What each server delivered here before; none: the choice falls back on round trips. */
  throughput?: ThroughputMemory;
  /** How long each mirror has been behind without catching up; none: a behind mirror is never taken for broken. */
  lagMemory?: LagMemory;
  /** When and how to measure the throughput of servers nothing is known of. */
  probePolicy?: Partial<ThroughputProbePolicy>;
  /** The measurement transfer; tests may wrap it to count calls. */
  probeThroughput?: ProbeRequest['probe'];
  /** The source each primary's last discovery chose on each network, for a clone's head start. */
  sourceMemory?: SourceMemory;
  /** Repository ids looked up before (the mirror list is asked by id); default: this process's memory. */
  repositoryIds?: RepositoryIds;
  /** The release of primaries used with a token from the environment; default: asked once per process. */
  releases?: ReleaseMemory;
  /** Whether git-lfs is on this machine; default: `git lfs version`. */
  gitLfsInstalled?: (signal: AbortSignal) => Promise<boolean>;
}

/** Where a clone can start at once, before the primary has answered: what an earlier discovery chose here. */
export interface HeadStart {
  source: CloneSource;
  /** The primary vouched for this server: its credentials may go there. */
  sendsToken: boolean;
  credentials?: PrimaryCredentials;
  ca?: string | Buffer;
  primaryBaseUrl: string;
  projectKey: string;
  slug: string;
}

async function preferredMirror(client: BitbucketClient, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const mirror = await client.getJson('/rest/mirroring/latest/account/settings/preferred-mirror', z.object({ id: z.string() }), { signal });
    return mirror.id;
  } catch (error) {
    if (error instanceof ContractError && error.code === 'CANCELLED') throw error;
    return undefined; // 404: no preference set; anything else: a preference is a nicety, not a need
  }
}

/**
 * Candidates are ruled out early only relative to the closest one measured. When that one cannot
 * be used (behind, unhealthy) and measurement picked something else, or nothing, the ruled-out
 * ones must be measured to the end before a fair choice can be made.
 */
function needsFullMeasurement(report: ProbeReport, measurements: Map<string, CandidateMeasurement>, choice: Choice): boolean {
  if (!report.candidates.some((entry) => entry.outcome === 'slower')) return false;
  if (choice.by === 'none') return true;
  // Chosen for its throughput while ruled out on round trip: its refs are checked only once it is measured to the end.
  if (choice.chosen && measurements.get(choice.chosen)?.outcome === 'slower') return true;
  if (choice.by !== 'latency') return false;
  const chosenMedian = measurements.get(choice.chosen!)?.medianMs ?? Infinity;
  return report.candidates.some((entry) => entry.outcome === 'measured' && entry.id !== choice.chosen && entry.medianMs! < chosenMedian);
}

/** A choice with what it rested on. */
interface Ranked {
  choice: Choice;
  measuredAt: number;
  fromCache: boolean;
  probeCost: ProbeOutcome['cost'];
}

export type DiscoveryParams = z.output<(typeof discoveryMethods)['discovery.run']['params']>;

/** What a discovery found, with what other services need to act on it (e.g. a clone). */
export interface Discovered {
  result: DiscoveryResult;
  credentials?: PrimaryCredentials;
  /** The found candidates before measuring, with every clone URL already checked. */
  found: FoundCandidate[];
  /** The primary's refs, listed during discovery; a clone right after can reuse them. */
  primaryRefs?: ListedRefs;
  /** The REST client for the primary, with its credentials, for follow-up questions. */
  client: BitbucketClient;
  /** The extra CA in force for this discovery, so git and ref listings trust the same servers. */
  ca?: string | Buffer;
  /** The network it measured from (network-identity.ts), when it could tell. */
  networkId?: string;
}

export interface DiscoveryService {
  /**
   * `transferRunning`: whether a transfer uses this machine's link meanwhile (a clone's head start,
   * known a moment after discovery begins); if so no throughput is measured, since it would read
   * low. Remembered figures still count.
   *
   * `namedSource`: the source the user named for a clone (a mirror's name or id, or 'primary');
   * nothing is measured to rank the candidates then, only the named mirror's refs are checked
   * (named-source.ts). Left out, every candidate is measured as usual.
   */
  discover(params: DiscoveryParams, signal: AbortSignal, options?: { transferRunning?: Promise<boolean>; namedSource?: string }): Promise<Discovered>;
  /**
   * The source to start a clone from before discovery answers, from what an earlier discovery
   * chose for the same primary on this network; undefined when nothing usable is remembered.
   * Local only: no request leaves this machine.
   */
  headStart(params: Pick<DiscoveryParams, 'repository' | 'primary'>, protocol: 'http' | 'ssh'): Promise<HeadStart | undefined>;
  handlers: Pick<Handlers, 'discovery.run'>;
  /** Stops measurements still running in the background (ruled-out candidates, for display). */
  stop(): void;
}

export function createDiscoveryService(deps: DiscoveryServiceDeps): DiscoveryService {
  const latency = createLatencyMeasurement(deps);

  /** The release of each primary that is not connected (a token from the environment), asked once per process. */
  const releases = new Map<string, Promise<string | undefined>>();
  const releaseOf = (client: BitbucketClient, credentials: PrimaryCredentials | undefined, stored: string | undefined, signal: AbortSignal): string | Promise<string | undefined> | undefined => {
    if (stored || credentials?.kind !== 'token') return stored;
    const recalled = deps.releases?.recall(client.baseUrl);
    if (recalled) return recalled;
    let asked = releases.get(client.baseUrl);
    if (!asked) {
      asked = askRelease(client, signal).catch(() => undefined);
      releases.set(client.baseUrl, asked);
      // A failed answer is asked again next time.
      void asked.then((version) => (version === undefined ? releases.delete(client.baseUrl) : deps.releases?.remember(client.baseUrl, version)));
    }
    return asked;
  };

  const discover: DiscoveryService['discover'] = async (params, signal, options = {}) => {
    const started = performance.now();
    const target = resolveTarget(params.repository, params.primary, deps.primaries);
    const networkAsked = deps.networkIdentity().then((network) => network.id, () => undefined);
    const credentials = await deps.credentials.forPrimary(target.baseUrl, { named: target.named });
    const clientOptions = await deps.clientOptions();
    const client = createBitbucketClient({ ...clientOptions, baseUrl: target.baseUrl, credentials });
    // The primary is the far server: start listing its refs now, at the clone URL Bitbucket's
    // layout gives, so its round trips overlap with everything below.
    const guessedPrimaryUrl = `${client.baseUrl}/scm/${target.projectKey.toLowerCase()}/${target.slug}.git`;
    const earlyRefCheck = deps.checkFreshness({ primary: { cloneUrls: { http: guessedPrimaryUrl } }, credentials, signal, ca: clientOptions.ca });

    // Whether it uses Git LFS is asked beside the other questions, and answered before the
    // round trips are timed: a request still running then would share their link and server.
    const [found, bitbucketPreferred, sizeBytes, largeFiles] = await Promise.all([
      findCandidates({ client, projectKey: target.projectKey, slug: target.slug, manualMirrors: target.stored?.manualMirrors ?? [], signal, mirrorOptions: { ca: clientOptions.ca, pool: clientOptions.pool }, repositoryIds: deps.repositoryIds }),
      credentials ? preferredMirror(client, signal) : Promise.resolve(undefined),
      fetchRepositorySize({ client, credentials, version: releaseOf(client, credentials, target.stored?.version, signal), projectKey: target.projectKey, slug: target.slug, signal }),
      checkLargeFiles({ client, projectKey: target.projectKey, slug: target.slug, signal, gitLfsInstalled: deps.gitLfsInstalled }),
    ]);

    const offered = found.candidates.filter((candidate) => candidate.offered);
    deps.emit('discovery.candidates', {
      runId: params.runId ?? 'discovery',
      candidates: found.candidates.map((candidate) => ({ id: candidate.id, name: candidate.name, kind: candidate.kind, status: candidate.status, offered: candidate.offered })),
    });
    const primaryCandidate = found.candidates.find((candidate) => candidate.kind === 'primary')!;
    // Usually the early guess was right; a primary with other clone URLs is listed again.
    const refCheck = primaryCandidate.cloneUrls.http === guessedPrimaryUrl ? earlyRefCheck : deps.checkFreshness({ primary: primaryCandidate, credentials, signal, ca: clientOptions.ca });
    const runId = params.runId ?? 'discovery';
    const targets = offered.map((candidate) => ({ id: candidate.id, baseUrl: candidate.baseUrl }));
    // Asked once per discovery: the latency cache, the throughput figures and the source memory all key by it.
    const networkId = await networkAsked;
    const measureContext = { params, runId, ca: clientOptions.ca, primaryBaseUrl: client.baseUrl, networkId, signal };
    const preferences = { pinned: target.stored?.pinnedCandidate, bitbucketPreferred };
    const freshness = new Map<string, Freshness>();
    const throughput = await rememberedThroughput(deps.throughput, networkId, offered);
    const behindForMs = new Map<string, number>();

    /** Keeps a mirror's ref check, and how long it has lagged without catching up. */
    const noteFreshness = (id: string, value: Freshness) => {
      freshness.set(id, value);
      const lag = value.mirrorRefs && deps.lagMemory?.observe({ primaryBaseUrl: client.baseUrl, repositoryId: found.repository.id, mirrorId: id }, { behind: value.behind, mirrorRefs: value.mirrorRefs });
      if (typeof lag === 'number') behindForMs.set(id, lag);
    };
    /** Every candidate measured (round trips, then throughput where it matters), and the quickest chosen. */
    const measureAndChoose = async (): Promise<Ranked> => {
      const measured = await latency.measure(targets, measureContext);
      const decideFrom = async (report: ProbeReport) => {
        // Only mirrors that answered every sample are worth a ref check: a ruled-out one may be
        // blackholed, and waiting for its refs would hold up the answer for nothing.
        const answered = new Set(report.candidates.filter((entry) => entry.outcome === 'measured').map((entry) => entry.id));
        const unchecked = offered.filter((candidate) => candidate.kind === 'mirror' && answered.has(candidate.id) && !freshness.has(candidate.id));
        if (unchecked.length > 0) {
          for (const [id, value] of await refCheck.compare(unchecked)) noteFreshness(id, value);
        }
        if (signal.aborted) throw new ContractError('CANCELLED', 'Discovery was cancelled.');
        const measurements = new Map(report.candidates.map((entry) => [entry.id, toMeasurement(entry)]));
        return { report, measurements, choice: choose(found.candidates, measurements, freshness, preferences, { sizeBytes, throughput, behindForMs }) };
      };

      let decided = await decideFrom(measured.report);
      if (needsFullMeasurement(decided.report, decided.measurements, decided.choice)) decided = await decideFrom(await measured.complete());
      // Servers nothing is known of, for a repository big enough that their throughput matters:
      // a short measurement transfer each, then the choice again with what it found.
      // A commit each server has: its own listing's tip; for one not listed (ruled out early), the primary's.
      const primaryTip = tipOf((await refCheck.primaryRefs())?.refs);
      if (throughputRankNeedsFullRoundTrips(decided.choice.candidates, sizeBytes, deps.probePolicy)) decided = await decideFrom(await measured.complete());
      const probed = await measureUnknownThroughput({
        skip: options.transferRunning,
        rows: decided.choice.candidates,
        found: found.candidates,
        sizeBytes,
        tipFor: async (id) => {
          // A mirror ruled out early on round trip was not ref-checked: check it now, which also
          // tells whether it lags (asking it for the primary's newest commit would fail if it does).
          const candidate = offered.find((entry) => entry.id === id);
          if (candidate?.kind === 'mirror' && !freshness.has(id)) {
            for (const [checked, value] of await refCheck.compare([candidate])) noteFreshness(checked, value);
          }
          return tipOf(freshness.get(id)?.mirrorRefs) ?? primaryTip;
        },
        remeasure: Boolean(params.refresh),
        credentials,
        ca: clientOptions.ca,
        signal,
        memory: deps.throughput,
        networkId,
        policy: deps.probePolicy,
        probe: deps.probeThroughput,
      });
      if (signal.aborted) throw new ContractError('CANCELLED', 'Discovery was cancelled.');
      if (probed.figures.size > 0) {
        for (const [id, figure] of probed.figures) throughput.set(id, figure);
        decided = await decideFrom(decided.report);
        if (needsFullMeasurement(decided.report, decided.measurements, decided.choice)) decided = await decideFrom(await measured.complete());
      }
      return { choice: decided.choice, measuredAt: measured.measuredAt, fromCache: measured.fromCache, probeCost: probed.cost };
    };

    /** The source the user named, with only its refs checked and whatever round trips the cache keeps. */
    const takeNamed = async (name: string): Promise<Ranked> => {
      const recalled = await latency.recall(targets, measureContext);
      const measurements = new Map((recalled?.report.candidates ?? []).map((entry) => [entry.id, toMeasurement(entry)]));
      const named = namedCandidate(offered, name);
      if (named?.kind === 'mirror') {
        for (const [id, value] of await refCheck.compare([named])) noteFreshness(id, value);
        const listed = freshness.has(named.id);
        if (!stillStands(measurements.get(named.id), listed)) measurements.delete(named.id);
        if (!listed && (await refCheck.primaryRefs())) {
          // Its refs could not be listed while the primary's could: its round trips alone say why
          // (unreachable, not running), as a discovery measuring everything would have.
          const alone = await latency.measure([{ id: named.id, baseUrl: named.baseUrl }], { ...measureContext, params: { ...params, refresh: true } });
          const entry = alone.report.candidates.find((candidate) => candidate.id === named.id);
          if (entry) measurements.set(named.id, toMeasurement(entry));
        }
      }
      if (signal.aborted) throw new ContractError('CANCELLED', 'Discovery was cancelled.');
      const choice = choose(found.candidates, measurements, freshness, { ...preferences, named: named?.id }, { sizeBytes, throughput, behindForMs });
      return { choice, measuredAt: recalled?.measuredAt ?? Date.now(), fromCache: recalled !== undefined, probeCost: null };
    };

    const named = options.namedSource;
    const { choice, measuredAt, fromCache, probeCost } = named === undefined ? await measureAndChoose() : await takeNamed(named);

    if (target.stored) {
      const knownMirrors = found.candidates
        .filter((candidate) => candidate.kind === 'mirror' && !candidate.manual)
        .map((candidate) => ({ id: candidate.id, name: candidate.name, baseUrl: candidate.baseUrl, sshHost: sshHostOf(candidate.cloneUrls.ssh), disabled: candidate.status === 'disabled' }));
      deps.primaries.update(target.baseUrl, (primary) => ({ ...primary, knownMirrors }));
    }

    const repository = found.repository;
    const result: DiscoveryResult = {
      repository: {
        id: repository.id,
        projectKey: repository.project.key,
        slug: repository.slug,
        name: repository.name ?? repository.slug,
        primaryBaseUrl: client.baseUrl,
        cloneUrls: primaryCandidate.cloneUrls,
        sizeBytes: sizeBytes ?? null,
      },
      mirroring: found.mirroring,
      candidates: choice.candidates,
      chosen: choice.chosen,
      reason: choice.reason,
      decidedBy: choice.by,
      throughputProbe: probeCost,
      largeFiles,
      measuredAt: new Date(measuredAt).toISOString(),
      fromCache,
      durationMs: Math.round(performance.now() - started),
    };
    // A named source was not measured against the others: it says nothing of which is closest here.
    if (networkId && named === undefined) deps.sourceMemory?.remember(networkId, result, found.candidates);
    return { result, credentials, found: found.candidates, primaryRefs: await refCheck.primaryRefs(), client, ca: clientOptions.ca, networkId };
  };

  const headStart: DiscoveryService['headStart'] = async (params, protocol) => {
    if (!deps.sourceMemory) return undefined;
    const target = resolveTarget(params.repository, params.primary, deps.primaries);
    const networkId = await deps.networkIdentity().then((network) => network.id, () => undefined);
    if (!networkId) return undefined;
    const primaryBaseUrl = normaliseBaseUrl(target.baseUrl);
    const recalled = deps.sourceMemory.recall(networkId, primaryBaseUrl, target, protocol);
    if (!recalled) return undefined;
    const [credentials, clientOptions] = await Promise.all([deps.credentials.forPrimary(target.baseUrl, { named: target.named }), deps.clientOptions()]);
    return { source: recalled.source, sendsToken: recalled.remembered.sendsToken, credentials, ca: clientOptions.ca, primaryBaseUrl, projectKey: target.projectKey, slug: target.slug };
  };

  return {
    discover,
    headStart,
    stop() {
      latency.stop();
    },
    handlers: { 'discovery.run': async (params, { signal }) => (await discover(params, signal)).result },
  };
}
