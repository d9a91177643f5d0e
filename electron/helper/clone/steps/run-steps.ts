/**
 * A clone made in steps, each an ordinary fetch that leaves a valid repository on disk:
 *   1. the newest commit of the default branch and its files (--depth=1)
 *   2. the rest of the history, every branch and every tag, in one fetch (--unshallow --tags)
 * then the default branch checked out, as `git clone` leaves it. After each step the note in the
 * folder (resume-marker.ts) says how far it got.
 *
 * A break keeps what arrived: the next attempt (from this server or another) keeps the whole
 * objects of the cut pack (salvage.ts) and asks only for what is missing (complete-what-arrived.ts).
 * A server that will not send objects by id gets the rest in deepen steps of about `stepBytes`
 * instead, so each later break loses one step at most.
 *
 * Ready to work early: with `becomeReady`, the default branch is checked out as soon as the tip is
 * on disk and the clone is moved to its destination, where the user can open it; the history
 * arrives there. From then on the steps only fetch into refs/remotes and objects: the work tree,
 * the index and the checked-out branch are the user's.
 */
import type { GitProgressData } from '../../../../shared/contract';
import { assertEmptyOrMissing } from '../../git/clone';
import { initRepository } from '../../git/init';
import { addRemote } from '../../git/remote-add';
import { setRemoteUrl } from '../../git/remote';
import { remoteDefaultBranch } from '../../git/remote-default-branch';
import { isShallowRepository } from '../../git/shallow';
import { shallowFetch, type ShallowFetchKind } from '../../git/shallow-fetch';
import { checkoutTrackingBranch } from '../../git/checkout-tracking';
import { fetchObjectsById } from '../../git/fetch-objects';
import { lsRemote } from '../../git/ls-remote';
import type { GitProgress } from '../../git/progress';
import { nextDeepenCommits, type StepSettings } from './step-plan';
import { readResumeMarker, writeResumeMarker, type RepositoryKey, type ResumeMarker } from './resume-marker';
import { removeStaleLocks } from './stale-locks';
import { describeStep, continuedWords, keepingWords } from './step-words';
import { formatBytes } from '../../../../shared/format';
import { salvagePartialPacks, type Salvaged } from './salvage';
import { completeWhatArrived, refsAfterHistoryFetch } from './complete-what-arrived';

export interface StepsRun {
  /** The temporary folder the clone is made in. */
  repository: string;
  /** This attempt's source. */
  url: string;
  env: Record<string, string>;
  settings: StepSettings;
  identity: { repository: RepositoryKey; destination: string; expectedBytes: number | null };
  signal: AbortSignal;
  /** One progress across every step (bytes so far of the expected total), already combined. */
  onProgress(progress: GitProgressData): void;
  /** A step is starting: its own progress, for a throughput measurement of that step alone. */
  onStepProgress?(progress: GitProgress): void;
  /** A step completed (after the note records it). */
  onStepDone?(): void;
  /**
   * Called once the tip is fetched and checked out in `repository`: makes the clone ready to work
   * (moves it to its destination) and answers the folder it is in now, where the steps go on.
   */
  becomeReady?(): Promise<string>;
  /** `repository` is the clone at its destination already (ready to work earlier). */
  atDestination?: boolean;
}

/** The remote branch a step fetches into, with the refspec that does it. */
const refspecOf = (branch: string) => `+refs/heads/${branch}:refs/remotes/origin/${branch}`;

async function startOrContinue(run: StepsRun): Promise<ResumeMarker> {
  const existing = await readResumeMarker(run.repository);
  const git = { env: run.env, signal: run.signal };
  if (existing) {
    // At its destination the user's own git may be at work: only the locks a fetch takes are ours.
    await removeStaleLocks(run.repository, { fetchOnly: run.atDestination === true });
    // The next step may come from another server than the last one.
    await setRemoteUrl(run.repository, 'origin', run.url, git);
    return existing;
  }
  await assertEmptyOrMissing(run.repository);
  await initRepository(run.repository, git);
  await addRemote(run.repository, 'origin', run.url, git);
  const fresh: Omit<ResumeMarker, 'updatedAt' | 'format'> = {
    repository: run.identity.repository,
    destination: run.identity.destination,
    receivedBytes: 0,
    expectedBytes: run.identity.expectedBytes,
    stepsDone: 0,
    complete: false,
    ...(run.settings.deepenFromStart ? { deepenSteps: 'network' as const } : {}),
  };
  await writeResumeMarker(run.repository, fresh);
  return { ...fresh, format: 1, updatedAt: new Date().toISOString() };
}

export async function runSteps(run: StepsRun): Promise<void> {
  let marker = await startOrContinue(run);
  // Where the clone is: its temporary folder, then (once ready to work) its destination.
  let repository = run.repository;
  let ready = run.atDestination === true;
  const git = { env: run.env, signal: run.signal };
  const save = async (next: ResumeMarker) => {
    await writeResumeMarker(repository, next);
    marker = next;
  };
  const stepDone = async (next: ResumeMarker) => {
    await save(next);
    run.onStepDone?.();
  };
  if (marker.defaultBranch === undefined) {
    const branch = await remoteDefaultBranch(run.url, git);
    if (branch) await save({ ...marker, defaultBranch: branch });
  }
  const branch = marker.defaultBranch;

  /** Runs one fetch with the clone's one progress across steps; answers the bytes it received. */
  const transfer = async (words: string, fetch: (onProgress: (progress: GitProgress) => void) => Promise<void>): Promise<number> => {
    let stepBytes = 0;
    await fetch((progress) => {
      run.onStepProgress?.(progress);
      stepBytes = Math.max(stepBytes, progress.receivedBytes ?? 0);
      const received = marker.receivedBytes + stepBytes;
      const expected = marker.expectedBytes ?? undefined;
      // May go back when a step comes again after a break: the caller keeps the bar from doing so.
      const fraction = expected ? Math.min(0.99, received / expected) : progress.value;
      const eta = expected && progress.bytesPerSecond ? Math.max(0, Math.round((expected - received) / progress.bytesPerSecond)) : undefined;
      run.onProgress({
        phase: progress.phase === 'done' ? 'receiving' : progress.phase,
        value: fraction,
        phaseValue: progress.phaseValue,
        text: `${words}: ${progress.text}`,
        receivedBytes: received,
        ...(expected && received <= expected ? { expectedBytes: expected } : {}),
        ...(progress.bytesPerSecond !== undefined ? { bytesPerSecond: progress.bytesPerSecond } : {}),
        ...(eta !== undefined ? { etaSeconds: eta } : {}),
      });
    });
    return stepBytes;
  };
  const fetchStep = (step: ShallowFetchKind, refspecs: string[]) =>
    transfer(describeStep(step), (onProgress) => shallowFetch({ repository, remote: 'origin', refspecs, step, ...git, onProgress }));

  if (branch && marker.stepsDone === 0) {
    // A cut tip fetch comes again whole (it is small): what it left is only in the way.
    await salvagePartialPacks(repository, git, () => false);
    const bytes = await fetchStep({ kind: 'tip' }, [refspecOf(branch)]);
    await stepDone({ ...marker, receivedBytes: marker.receivedBytes + bytes, stepsDone: 1 });
  }
  // The refs the history fetch is after, listed while the work tree is checked out: after a cut
  // the clone is completed to these. Without them a continuation lists the server's refs then.
  // Deepen steps never complete by id: they need no listing.
  const listing = marker.historyRefs || marker.complete || marker.deepenSteps ? undefined : lsRemote({ url: run.url, ...git }).catch(() => undefined);
  if (branch && !ready && run.becomeReady && marker.stepsDone >= 1 && !marker.complete) {
    await checkoutTrackingBranch(repository, 'origin', branch, git);
    repository = await run.becomeReady();
    ready = true;
  }
  if (!marker.complete && marker.stepsDone >= 1) {
    // A fetch was cut: what it received stays, and only what is missing is asked for. What the
    // history fetch has yet to bring weighs what arrived (keepsWhatArrived).
    const outstanding = marker.expectedBytes === null ? Number.POSITIVE_INFINITY : Math.max(1, marker.expectedBytes - marker.receivedBytes);
    const keeping = (done: number, total: number) => {
      const expected = marker.expectedBytes ?? undefined;
      run.onProgress({
        phase: 'resolving',
        value: expected ? Math.min(0.99, marker.receivedBytes / expected) : 0,
        phaseValue: total > 0 ? done / total : 1,
        text: `${keepingWords}: ${formatBytes(done)} of ${formatBytes(total)}`,
        receivedBytes: marker.receivedBytes,
        ...(expected ? { expectedBytes: expected } : {}),
      });
    };
    const salvaged = await salvagePartialPacks(repository, git, (found) => marker.deepenSteps === undefined && keepsWhatArrived(found, outstanding), keeping);
    if (salvaged.kept) {
      await save({ ...marker, receivedBytes: marker.receivedBytes + salvaged.bytes, keptObjects: (marker.keptObjects ?? 0) + salvaged.objects, ...(salvaged.mostlyDeltas ? { keptMostlyDeltas: true } : {}) });
    } else if (salvaged.objects > 0 && marker.deepenSteps === undefined && !marker.keptObjects) await save({ ...marker, deepenSteps: 'deltas' });
    // Kept now or by an earlier attempt (whose own continuation may have been cut before a byte came).
    if (marker.keptObjects && marker.deepenSteps === undefined) {
      const listed = marker.historyRefs ?? (await listing) ?? (await lsRemote({ url: run.url, ...git }));
      const completion = await completeWhatArrived({
        repository,
        treesById: marker.keptMostlyDeltas === true,
        refs: refsAfterHistoryFetch(listed),
        git,
        fetchObjects: async (oids) => {
          const bytes = await transfer(continuedWords, (onProgress) => fetchObjectsById({ repository, remote: 'origin', oids, ...git, onProgress }));
          await save({ ...marker, receivedBytes: marker.receivedBytes + bytes });
        },
      });
      if (completion === 'complete') await stepDone({ ...marker, stepsDone: marker.stepsDone + 1, complete: true });
      if (completion === 'refused') await save({ ...marker, deepenSteps: 'refused' });
    }
  }
  while (!marker.complete) {
    const shallow = branch !== undefined && (await isShallowRepository(repository, git));
    const remaining = marker.expectedBytes === null ? 0 : marker.expectedBytes - marker.receivedBytes;
    // Deepen steps only when a break would cost more than they do (resume-marker.ts, deepenSteps);
    // the last stretch goes with the branches and tags: one step fewer costs less than it risks.
    if (marker.deepenSteps && shallow && remaining > run.settings.stepBytes * 1.5) {
      const commits = nextDeepenCommits(run.settings.stepBytes, marker.lastDeepen);
      const bytes = await fetchStep({ kind: 'deepen', commits }, [refspecOf(branch!)]);
      // A step that brought nothing has reached the bottom of the history in all but name.
      const lastDeepen = { commits, bytes: Math.max(bytes, 1) };
      await stepDone({ ...marker, receivedBytes: marker.receivedBytes + bytes, stepsDone: marker.stepsDone + 1, lastDeepen, ...(bytes === 0 ? { expectedBytes: marker.receivedBytes } : {}) });
      continue;
    }
    if (!marker.historyRefs) {
      const listed = await listing;
      if (listed) await save({ ...marker, historyRefs: Object.fromEntries(listed) });
    }
    const bytes = await fetchStep({ kind: 'complete', unshallow: shallow }, ['+refs/heads/*:refs/remotes/origin/*']);
    await stepDone({ ...marker, receivedBytes: marker.receivedBytes + bytes, stepsDone: marker.stepsDone + 1, complete: true });
  }
  // A clone ready to work has its branch checked out already, and perhaps the user's work on it.
  if (branch && !ready) await checkoutTrackingBranch(repository, 'origin', branch, git);
}

/**
 * Whether a cut fetch's whole objects are worth keeping and completing by id: always when they came
 * mostly whole; when mostly as deltas (whose missing part comes back whole by id) only once most of
 * the history is in, where deepen steps would fetch all of it again.
 */
function keepsWhatArrived(found: Salvaged, outstanding: number): boolean {
  return !found.mostlyDeltas || found.bytes >= outstanding / 2;
}
