/**
 * A clone made in steps, each an ordinary fetch that leaves a valid repository on disk:
 *   1. the newest commit of the default branch and its files (--depth=1)
 *   2. the history below it, a step of about `stepBytes` at a time (--deepen)
 *   3. the rest of the history, every branch and every tag (--unshallow --tags)
 * then the default branch checked out, as `git clone` leaves it. After each step the note in the
 * folder (resume-marker.ts) says how far it got, so a break loses only the step in flight: run
 * again (from the same server or another), it carries on from what the folder holds.
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
import type { GitProgress } from '../../git/progress';
import { nextDeepenCommits, type StepSettings } from './step-plan';
import { readResumeMarker, writeResumeMarker, type RepositoryKey, type ResumeMarker } from './resume-marker';
import { removeStaleLocks } from './stale-locks';
import { describeStep } from './step-words';

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
}

/** The remote branch a step fetches into, with the refspec that does it. */
const refspecOf = (branch: string) => `+refs/heads/${branch}:refs/remotes/origin/${branch}`;

async function startOrContinue(run: StepsRun): Promise<ResumeMarker> {
  const existing = await readResumeMarker(run.repository);
  const git = { env: run.env, signal: run.signal };
  if (existing) {
    await removeStaleLocks(run.repository);
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
  };
  await writeResumeMarker(run.repository, fresh);
  return { ...fresh, format: 1, updatedAt: new Date().toISOString() };
}

export async function runSteps(run: StepsRun): Promise<void> {
  let marker = await startOrContinue(run);
  const git = { env: run.env, signal: run.signal };
  const save = async (next: ResumeMarker) => {
    await writeResumeMarker(run.repository, next);
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

  const fetchStep = async (step: ShallowFetchKind, refspecs: string[]): Promise<number> => {
    let stepBytes = 0;
    const words = describeStep(step);
    await shallowFetch({
      repository: run.repository,
      remote: 'origin',
      refspecs,
      step,
      ...git,
      onProgress: (progress) => {
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
      },
    });
    return stepBytes;
  };

  if (branch && marker.stepsDone === 0) {
    const bytes = await fetchStep({ kind: 'tip' }, [refspecOf(branch)]);
    await stepDone({ ...marker, receivedBytes: marker.receivedBytes + bytes, stepsDone: 1 });
  }
  while (!marker.complete) {
    const shallow = branch !== undefined && (await isShallowRepository(run.repository, git));
    const remaining = marker.expectedBytes === null ? 0 : marker.expectedBytes - marker.receivedBytes;
    // The last stretch goes with the branches and tags: one step fewer costs less than it risks.
    if (!shallow || remaining <= run.settings.stepBytes * 1.5) {
      const bytes = await fetchStep({ kind: 'complete', unshallow: shallow }, ['+refs/heads/*:refs/remotes/origin/*']);
      await stepDone({ ...marker, receivedBytes: marker.receivedBytes + bytes, stepsDone: marker.stepsDone + 1, complete: true });
      break;
    }
    const commits = nextDeepenCommits(run.settings.stepBytes, marker.lastDeepen);
    const bytes = await fetchStep({ kind: 'deepen', commits }, [refspecOf(branch!)]);
    // A step that brought nothing has reached the bottom of the history in all but name.
    const lastDeepen = { commits, bytes: Math.max(bytes, 1) };
    await stepDone({ ...marker, receivedBytes: marker.receivedBytes + bytes, stepsDone: marker.stepsDone + 1, lastDeepen, ...(bytes === 0 ? { expectedBytes: marker.receivedBytes } : {}) });
  }
  if (branch) await checkoutTrackingBranch(run.repository, 'origin', branch, git);
}
