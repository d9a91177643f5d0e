/**
 * One clone, start to finish:
 *   discover and order the sources (while a head start from the server chosen here last time
 *   moves bytes, kept when discovery agrees) → plan the destination → clone into a temporary sibling,
 *   retrying a failing source with backoff before moving on to the next (the primary last) →
 *   point the push URL at the primary, record the clone's identity, set up our credential
 *   helper → top up from the primary whatever the mirror lacked → rename into place.
 * Whatever happens before the rename, nothing is left at the destination.
 *
 * A clone made in steps is renamed into place early instead, as soon as its newest commit is
 * checked out (ready-to-work.ts): from then on it is the user's folder, never removed, and what
 * is left to do (the history, the top-up) happens there.
 */
import { describeLargeFiles } from '../../../shared/large-files-outlook';
import { ContractError, type CloneAttempt, type CloneResult, type CloneSource, type CloneTarget, type GitProgressData } from '../../../shared/contract';
import type { cloneMethods } from '../../../shared/contract';
import { backoffDelay, type BackoffPolicy } from '../../../shared/backoff';
import type { z } from 'zod';
import type { DiscoveryService } from '../discovery/service';
import type { ClonesStore } from '../store/clones-store';
import { chooseCloneEngine } from '../git/engine';
import { GitError, type GitBinary } from '../git/runner';
import { pushUrlEntry } from '../git/remote';
import { addConfigEntries } from '../git/config-entries';
import { orderSources } from '../transfer/sources';
import { commitDestination, discardTemporary, intendedDestination, planDestination } from './destination';
import { identityEntries, recordSource, sameRepository } from './identity';
import { credentialHelperEntries, trustEntries } from './credential-config';
import { listPrimaryRefs } from '../transfer/primary-refs';
import { topUpFromPrimary } from './top-up';
import { requireKnownHosts } from './ssh-hosts';
import { transferEnvironment } from '../transfer/transfer-env';
import { abortableSleep } from '../net/abortable-sleep';
import { localMirrorId } from '../cache/local-mirrors';
import type { LocalMirrorsStore } from '../store/local-mirrors-store';
import { TransferTooLargeError, transferLimitBytes } from '../transfer/transfer-budget';
import type { ThroughputRecording } from '../transfer/measure-transfer';
import { attemptTransfer, type AttemptContext } from './transfer-attempt';
import { keepsHeadStart, startHeadStart, type HeadStartTransfer } from './head-start';
import { localReference } from './local-reference';
import { fetchLargeFiles, type LargeFilesResult } from '../lfs/large-files';
import { OneBar } from '../lfs/one-bar';
import { planSteps, type StepSettings } from './steps/step-plan';
import type { BreakMemory } from './steps/break-memory';
import { readResumeMarker, removeResumeMarker, resumableClones, unfinishedCloneAt, type ResumableClone } from './steps/resume-marker';
import { attemptSteppedTransfer, type ClonePlace } from './steps/stepped-attempt';
import { announceReady, becomeReady, claimFolder, fastForwardWhenClean, type ReadyToWork } from './ready-to-work';
import type { ConfigEntry } from '../git/config-entries';
import type { KnownClone } from '../../../shared/contract';

export type CloneParams = z.output<(typeof cloneMethods)['clone.start']['params']>;

export interface CloneReporter {
  phase(state: 'discovering' | 'cloning' | 'finishing', details?: { destination?: string; source?: CloneSource; expectedBytes?: number | null }): void;
  progress(source: CloneSource, progress: GitProgressData): void;
  attempt(attempt: CloneAttempt): void;
  /** Where the clone goes, and where it is made before it is moved there (for cleaning up after a crash). */
  planned?(destination: { path: string; temporaryPath: string }): void;
  /**
   * Which repository it is and where it is meant to go, as soon as the primary has said (before the
   * destination is checked); with a warning to give before anything moves, if there is one.
   */
  identified?(target: CloneTarget, destination: string | undefined, notes?: { largeFilesWarning?: string }): void;
  /** The work tree is at its destination and can be opened; the history continues (a clone in steps). */
  ready?(details: { path: string; afterMs: number }): void;
}

/** `throughput`: where each clone and top-up records how fast its server delivered. */
export interface CloneDeps extends ThroughputRecording {
  discovery: DiscoveryService;
  clones: ClonesStore;
  credentialHelperCommand: string;
  /** Local mirrors: a clone of a repository kept there borrows its objects. */
  localMirrors?: LocalMirrorsStore;
  /** The helper's data folder (the CA bundle git is given lives there). */
  dataDir: string;
  /** Where SSH host keys the user trusts live (ssh's own known_hosts by default). */
  knownHostsFile: string;
  gitBinary(): Promise<GitBinary | undefined>;
  retry?: { attemptsPerSource: number; backoff: BackoffPolicy };
  /** The largest transfer from one source when the repository's size is unknown (Settings); default 20 GiB. */
  maxTransferBytes?(): number | undefined;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** When a clone goes in steps and how big they are (steps/step-plan.ts); defaults there. */
  steps?: Partial<StepSettings>;
  /** Networks where a transfer broke lately: big clones there go in deepen steps from the start. */
  breaks?: BreakMemory;
}

/** Failures where trying the same server again cannot help. */
const notWorthRetrying = new Set(['auth-failed', 'permission-denied-publickey', 'host-key-unknown', 'host-key-changed', 'repository-not-found', 'protocol-not-allowed', 'unsafe-url', 'destination-exists']);

const refsReuseMs = 30_000;

const defaultRetry = { attemptsPerSource: 2, backoff: { baseMs: 1_000, maxMs: 8_000, jitter: 0.3 } };

const defaultSleep = (ms: number, signal: AbortSignal) => abortableSleep(ms, signal, 'The clone was cancelled.');

/** A part-way clone of another repository waits for this folder: starting over it would lose it unasked. */
async function refuseOthersPartialClone(destination: string, other: ResumableClone, head: HeadStartTransfer | undefined): Promise<never> {
  await head?.stop();
  const { projectKey, slug } = other.marker.repository;
  throw new ContractError('CONFLICT', `${destination} is where a clone of ${projectKey}/${slug} stopped part-way (kept in ${other.temporaryPath}).`, {
    hint: 'Choose another folder, or discard that part-way clone (mirror-clone clone --discard-partial).',
  });
}

export async function runClone(params: CloneParams, deps: CloneDeps, outer: CloneReporter, signal: AbortSignal): Promise<CloneResult> {
  const started = performance.now();
  // git's phases and then the large files on one bar that never goes back (lfs/one-bar.ts).
  const bar = new OneBar();
  const reporter = bar.around(outer);
  const retry = deps.retry ?? defaultRetry;
  const sleep = deps.sleep ?? defaultSleep;

  reporter.phase('discovering');
  // Discovery asks the far primary; a head start (head-start.ts) moves bytes meanwhile.
  // Both begin at once: the head start's set-up is local, discovery's first step is the far primary.
  const heading = startHeadStart(params, deps, reporter, signal).catch(() => undefined);
  // While a head start moves bytes, a throughput measurement would share its link and read low.
  // A source the user named needs no ranking: discovery then measures nothing to rank the others.
  const discovering = deps.discovery.discover({ repository: params.repository, primary: params.primary }, signal, {
    transferRunning: heading.then((started) => started !== undefined),
    namedSource: params.source === 'auto' ? undefined : params.source,
  });
  let discovered: Awaited<typeof discovering>;
  try {
    discovered = await discovering;
  } catch (error) {
    await (await heading)?.stop();
    throw error;
  }
  const head = await heading;
  const { result: discovery, credentials, found, primaryRefs: listedAtDiscovery, client, ca, networkId } = discovered;
  bar.expectLargeFiles(discovery.largeFiles.usesLfs === 'yes');
  const folderName = params.folderName ?? discovery.repository.slug;
  const { warning: largeFilesWarning } = describeLargeFiles(discovery.largeFiles, undefined);
  reporter.identified?.(
    { primaryBaseUrl: discovery.repository.primaryBaseUrl, projectKey: discovery.repository.projectKey, slug: discovery.repository.slug },
    intendedDestination(params.parentDirectory, folderName),
    largeFilesWarning ? { largeFilesWarning } : undefined,
  );
  const ordered = orderSources(discovery, { protocol: params.protocol, choice: params.source });
  const repositoryKey = { primaryBaseUrl: discovery.repository.primaryBaseUrl, projectKey: discovery.repository.projectKey, slug: discovery.repository.slug };
  // A clone of this repository to this folder that stopped part-way carries on where it stopped.
  const destinationPath = intendedDestination(params.parentDirectory, folderName);
  const waiting = destinationPath ? await resumableClones(destinationPath) : [];
  // One ready to work there already, its history not complete: it is finished in place.
  const unfinished = destinationPath ? await unfinishedCloneAt(destinationPath) : undefined;
  const readyThere = unfinished && sameRepository(unfinished.marker.repository, repositoryKey) ? unfinished : undefined;
  const resumable = readyThere ?? waiting.find((candidate) => sameRepository(candidate.marker.repository, repositoryKey));
  // Objects come from a local mirror when there is one (--reference), copied into the clone
  // (--dissociate) so it never depends on the cache; only what the mirror lacks travels.
  const reference = localReference(deps.localMirrors, localMirrorId(discovery.repository.primaryBaseUrl, discovery.repository.projectKey, discovery.repository.slug));
  // A head start is one pack: a big repository goes in steps instead, whose first is the head start's first seconds over again.
  const stepsAhead = planSteps({ sizeBytes: discovery.repository.sizeBytes, engine: 'native', protocol: params.protocol, reference, depth: params.depth, branch: params.branch, overrides: deps.steps }) !== undefined;
  const keepHead = !resumable && !stepsAhead && head !== undefined && head.folderName === folderName && keepsHeadStart(discovery, head.source, params.protocol);
  if (head && !keepHead) await head.stop();
  if (destinationPath && !resumable && waiting[0]) await refuseOthersPartialClone(destinationPath, waiting[0], head);
  // A clone ready at its destination has no temporary folder: it is both.
  const planned = readyThere ? { path: readyThere.temporaryPath, temporaryPath: readyThere.temporaryPath } : keepHead ? head!.planned : await planDestination(params.parentDirectory, folderName, resumable?.temporaryPath);
  if (!keepHead && !readyThere) reporter.planned?.(planned);
  const place: ClonePlace = { repository: planned.temporaryPath, atDestination: readyThere !== undefined };
  const primaryUrl = discovery.repository.cloneUrls[params.protocol];
  if (!primaryUrl) throw new ContractError('NOT_FOUND', `The primary offers no ${params.protocol === 'ssh' ? 'SSH' : 'HTTP(S)'} URL for this repository.`);

  if (params.protocol === 'ssh') await requireKnownHosts({ sources: ordered.sources, primaryUrl, knownHostsFile: deps.knownHostsFile, client, signal });

  const { env, vouchedUrls, sendsTokenTo, trust } = await transferEnvironment({ credentials, found, ca }, { protocol: params.protocol, dataDir: deps.dataDir, knownHostsFile: deps.knownHostsFile });
  const engine = chooseCloneEngine({ protocol: params.protocol, gitBinary: await deps.gitBinary() });
  const sizeBytes = discovery.repository.sizeBytes;
  // The primary's estimate of the whole repository; a shallow clone, or one whose objects come from
  // a local mirror, moves much less, so no size is promised for those.
  const expectedBytes = reference || params.depth !== undefined ? null : discovery.repository.sizeBytes;
  // A big repository goes in steps that each leave a valid repository, so a break loses one step.
  // One that stopped part-way goes on in steps whatever its size, unless this clone asks for what
  // steps do not make (--depth, --branch, a local mirror...): then it starts afresh, the part-way one removed.
  const steps: StepSettings | undefined = planSteps({
    sizeBytes: resumable ? (resumable.marker.expectedBytes ?? sizeBytes ?? 0) : expectedBytes,
    engine,
    protocol: params.protocol,
    reference,
    depth: params.depth,
    branch: params.branch,
    overrides: resumable ? { ...deps.steps, minimumBytes: 0 } : deps.steps,
    // What the first source delivers here, when known: on a slow link a step holds at most a minute of transfer.
    bytesPerSecond: discovery.candidates.find((candidate) => candidate.id === ordered.sources[0]?.id)?.throughputBytesPerSec ?? undefined,
    brokeLately: networkId !== undefined && deps.breaks?.brokeLately(networkId) === true,
  });
  if (readyThere && !steps) {
    throw new ContractError('CONFLICT', `${planned.path} holds a clone of ${repositoryKey.projectKey}/${repositoryKey.slug} whose history is not complete yet.`, {
      hint: 'Clone it again to that folder without --depth or --branch to finish its history, or choose another folder.',
    });
  }
  if (resumable && !steps) await discardTemporary(planned);
  const attemptContext: AttemptContext = {
    planned,
    env,
    engine,
    reference,
    credentials,
    sendsTokenTo,
    protocol: params.protocol,
    depth: params.depth,
    branch: params.branch,
    expectedBytes,
    limitBytes: transferLimitBytes(sizeBytes, deps.maxTransferBytes?.()),
    sizeKnown: typeof sizeBytes === 'number',
    primaryHost: new URL(discovery.repository.primaryBaseUrl).host,
    recording: deps,
    reporter,
  };

  // A clone continued starts its one bar where the complete steps left it.
  const soFar = resumable && steps ? resumable.marker.receivedBytes : 0;
  const expectedSoFar = resumable?.marker.expectedBytes;
  const shown = { value: soFar > 0 && expectedSoFar ? Math.min(0.99, soFar / expectedSoFar) : 0, receivedBytes: soFar };
  let served: CloneSource | undefined;
  let toppedUp: string[] = [];
  let largeFiles: LargeFilesResult | undefined;
  let branchNotUpdated: string | undefined;
  // The push URL at the primary, where the clone came from, and (over HTTP) our credential
  // helper and the company CA for later plain git fetches and pushes: one write, not one git each.
  const configEntriesFor = (source: CloneSource): ConfigEntry[] => [
    pushUrlEntry('origin', primaryUrl),
    ...identityEntries({
      primaryBaseUrl: discovery.repository.primaryBaseUrl,
      projectKey: discovery.repository.projectKey,
      slug: discovery.repository.slug,
      repositoryId: discovery.repository.id,
      sourceId: source.id,
      sourceName: source.name,
    }),
    ...(params.protocol === 'http' ? credentialHelperEntries(vouchedUrls, deps.credentialHelperCommand) : []),
    ...(params.protocol === 'http' && trust.bundle ? trustEntries(vouchedUrls, trust.bundle) : []),
  ];
  const largeFilesFrom = (repository: string, source: CloneSource) =>
    fetchLargeFiles({ repository, discovery, served: source, protocol: params.protocol, env, vouchedUrls, credentialHelperCommand: deps.credentialHelperCommand, localMirror: reference, onProgress: (from, value) => reporter.progress(from, value), signal });
  const knownClone = (source: CloneSource, reason: string): KnownClone => ({
    path: planned.path,
    primaryBaseUrl: discovery.repository.primaryBaseUrl,
    projectKey: discovery.repository.projectKey,
    slug: discovery.repository.slug,
    repositoryId: discovery.repository.id,
    source: { id: source.id, name: source.name },
    fetchUrl: source.url,
    pushUrl: primaryUrl,
    clonedAt: new Date().toISOString(),
    reason,
  });
  const readyToWork: ReadyToWork = {
    planned,
    place,
    configEntries: configEntriesFor,
    fetchLargeFiles: async (repository, source) => {
      if (engine === 'native') largeFiles = await largeFilesFrom(repository, source);
    },
    knownClone: (source) => knownClone(source, `${source.name}: ready to work, its history still arriving`),
    clones: deps.clones,
    reporter,
    started,
    signal,
  };
  // Found ready at its destination: it is ready now, and its history is what is left.
  if (readyThere) {
    readyToWork.release = claimFolder(planned.path);
    announceReady(readyToWork);
  }
  try {
    if (keepHead) {
      head!.learnSize(expectedBytes);
      if (expectedBytes !== null) reporter.phase('cloning', { destination: planned.path, source: head!.source, expectedBytes });
      const outcome = await head!.outcome;
      if (outcome.ok) served = ordered.sources.find((source) => source.url === head!.source.url) ?? head!.source;
    }
    for (const source of served ? [] : ordered.sources) {
      for (let attempt = 1; attempt <= retry.attemptsPerSource && !served; attempt += 1) {
        if (signal.aborted) throw new ContractError('CANCELLED', 'The clone was cancelled.');
        const outcome = steps
          ? await attemptSteppedTransfer(source, attempt, { ...attemptContext, steps, repository: repositoryKey, shown, place, becomeReady: (from) => becomeReady(readyToWork, from), onBreak: () => networkId !== undefined && deps.breaks?.noteBreak(networkId) }, signal)
          : await attemptTransfer(source, attempt, attemptContext, signal);
        if (outcome.ok) {
          served = source;
          break;
        }
        if (signal.aborted) throw new ContractError('CANCELLED', 'The clone was cancelled.');
        // A source over its budget is not asked again: the next one gets its turn.
        if (outcome.error instanceof TransferTooLargeError) break;
        if (outcome.error instanceof GitError && notWorthRetrying.has(outcome.error.kind)) break;
        if (attempt < retry.attemptsPerSource) await sleep(backoffDelay(attempt - 1, retry.backoff), signal);
      }
      if (served) break;
    }
    if (signal.aborted) throw new ContractError('CANCELLED', 'The clone was cancelled.');
    if (!served) {
      const kept = steps !== undefined && (await readResumeMarker(place.repository)) !== undefined;
      throw new ContractError('GIT', `The repository could not be cloned from any of ${ordered.sources.length} server(s).`, {
        hint: place.atDestination
          ? `${planned.path} is ready to work with part of its history (a shallow clone): clone again to the same folder to continue its history from where it stopped.`
          : kept
            ? `What was received is kept in ${planned.temporaryPath}: clone again to the same folder to continue from there, or discard it (mirror-clone clone --discard-partial).`
            : 'See what each attempt said; check your network, credentials and SSH keys, then retry.',
      });
    }

    reporter.phase('finishing', { destination: planned.path, source: served });
    const repository = place.repository;
    // A clone ready to work has its config already: only the server its history came from may differ.
    if (place.atDestination) await recordSource(repository, served, signal);
    else await addConfigEntries(repository, configEntriesFor(served), signal);
    // The refs listed during discovery are reused when the clone was quick; after a long
    // transfer the primary may have moved on, so it is asked again.
    const recent = listedAtDiscovery && performance.now() - listedAtDiscovery.listedAt < refsReuseMs ? listedAtDiscovery.refs : undefined;
    const primaryRefs = recent ?? (await listPrimaryRefs({ url: primaryUrl, protocol: params.protocol, credentials, env, signal, ca }));
    if (served.kind !== 'primary') toppedUp = (await topUpFromPrimary({ repository, primaryUrl, primaryRefs, env, signal, recording: deps, updateBranch: !place.atDestination })).toppedUp;
    if (place.atDestination) {
      // The branch the user may have worked on since it was ready: a fast-forward on a clean tree, or nothing.
      const forwarded = await fastForwardWhenClean(repository, env, signal);
      if (forwarded && !forwarded.ok) branchNotUpdated = forwarded.reason;
      if (engine === 'native' && forwarded?.status === 'fast-forwarded') largeFiles = await largeFilesFrom(repository, served);
    } else if (engine === 'native') largeFiles = await largeFilesFrom(repository, served);
    if (signal.aborted) throw new ContractError('CANCELLED', 'The clone was cancelled.');
    // Without its note the folder is never taken for one to continue: it is finished.
    if (steps) await removeResumeMarker(repository);
    if (!place.atDestination) await commitDestination(planned);
  } catch (error) {
    // A stepped clone that failed (not cancelled) keeps its complete steps for the next run; one
    // ready to work at its destination is the user's folder and is always kept.
    const keep = place.atDestination || (steps !== undefined && !signal.aborted && (await readResumeMarker(planned.temporaryPath)) !== undefined);
    if (!keep) await discardTemporary(planned);
    throw error;
  } finally {
    readyToWork.release?.();
  }

  const result: CloneResult = {
    path: planned.path,
    source: served,
    fetchUrl: served.url,
    pushUrl: primaryUrl,
    engine,
    durationMs: Math.round(performance.now() - started),
    toppedUpFromPrimary: toppedUp,
    ...(largeFiles ? { largeFiles } : {}),
    reason: `${served.id === ordered.sources[0]!.id ? ordered.reason : `${served.name}: the next server after failures`}${reference ? '; objects from the local mirror on this machine' : ''}${resumable && steps ? '; continued a clone that had stopped part-way' : steps ? '; fetched in steps, so a break loses only the step in flight' : ''}${place.atDestination ? '; ready to work before its history was complete' : ''}${branchNotUpdated ? `; ${branchNotUpdated}` : ''}${head ? (keepHead ? `; started from ${head.source.name} before the primary answered` : `; a head start from ${head.source.name} was stopped when the primary answered`) : ''}`,
  };
  // What the user chose for a clone listed since it was ready (kept warm) stays; it is no longer pending.
  const listed: Partial<KnownClone> = (place.atDestination ? deps.clones.get(planned.path) : undefined) ?? {};
  const { historyPending: _pending, ...listedSinceReady } = listed;
  deps.clones.put({ ...listedSinceReady, ...knownClone(served, result.reason), ...(listed.clonedAt ? { clonedAt: listed.clonedAt } : {}) });
  return result;
}
