/**
 * One attempt at a stepped clone from one source: like transfer-attempt.ts (the budget watching
 * it, its outcome reported), except that a failure keeps what the complete steps left in the
 * temporary folder, so the next attempt, from this source or the next, carries on from there.
 * Only a folder that never got its note (resume-marker.ts) is removed, and never one at its
 * destination (a clone ready to work is the user's folder from then on).
 */
import type { CloneSource } from '../../../../shared/contract';
import { discardTemporary } from '../destination';
import { GitError } from '../../git/errors';
import { watchTransfer } from '../../transfer/transfer-budget';
import { serverNameOf } from '../../transfer/source-failure';
import { measureTransfer } from '../../transfer/measure-transfer';
import { reportFailedAttempt, type AttemptContext, type AttemptOutcome } from '../transfer-attempt';
import { readResumeMarker, type RepositoryKey } from './resume-marker';
import { runSteps } from './run-steps';
import { stallEnvironment, type StepSettings } from './step-plan';

/** Where a stepped clone is: its temporary folder, or (once ready to work) its destination. */
export interface ClonePlace {
  repository: string;
  atDestination: boolean;
}

export interface SteppedAttemptContext extends AttemptContext {
  steps: StepSettings;
  repository: RepositoryKey;
  /**
   * The furthest the clone's one bar has gone, shared by its attempts: after a break the bytes of
   * the step in flight come again, and the bar waits for them rather than jumping back.
   */
  shown: { value: number; receivedBytes: number };
  place: ClonePlace;
  /**
   * Makes the clone ready to work once its tip is checked out (run-clone.ts): moves it to its
   * destination and answers that folder. Absent: the clone is moved only when complete.
   */
  becomeReady?(source: CloneSource): Promise<string>;
  /** The link broke or went silent (a cut, a stall): remembered for this network. */
  onBreak?(): void;
}

export async function attemptSteppedTransfer(source: CloneSource, attempt: number, context: SteppedAttemptContext, signal: AbortSignal): Promise<AttemptOutcome> {
  const { planned, reporter } = context;
  const expectedBytes = context.expectedBytes instanceof Promise ? null : context.expectedBytes;
  reporter.phase('cloning', { destination: planned.path, source, expectedBytes });
  const started = performance.now();
  const { place } = context;
  // Continuing: the bar starts where the clone stopped, not at nothing.
  if (context.shown.value > 0) {
    reporter.progress(source, { phase: 'connecting', value: context.shown.value, phaseValue: 0, text: 'Continuing from the steps already on disk', receivedBytes: context.shown.receivedBytes, ...(expectedBytes ? { expectedBytes } : {}) });
  }
  const watch = await watchTransfer({ limitBytes: context.limitBytes, sizeKnown: context.sizeKnown, serverName: serverNameOf(source), signal, repository: place.repository });
  // Each step is measured on its own: the set-up between steps is not the link's speed.
  let measure = measureTransfer(source.url, context.recording);
  try {
    const becomeReady = context.becomeReady;
    await runSteps({
      repository: place.repository,
      atDestination: place.atDestination,
      ...(becomeReady ? { becomeReady: () => becomeReady(source) } : {}),
      url: source.url,
      env: { ...context.env, ...stallEnvironment(context.steps, context.env) },
      settings: context.steps,
      identity: { repository: context.repository, destination: planned.path, expectedBytes },
      signal: watch.signal,
      onProgress: (progress) => {
        watch.onProgress(progress);
        const shown = context.shown;
        shown.value = Math.max(shown.value, progress.value);
        shown.receivedBytes = Math.max(shown.receivedBytes, progress.receivedBytes ?? 0);
        reporter.progress(source, { ...progress, value: shown.value, receivedBytes: shown.receivedBytes });
      },
      onStepProgress: (progress) => measure.onProgress(progress),
      onStepDone: () => {
        void measure.record();
        measure = measureTransfer(source.url, context.recording);
      },
    });
    reporter.attempt({ source, attempt, ok: true, durationMs: Math.round(performance.now() - started) });
    return { ok: true };
  } catch (raw) {
    const error = watch.explain(raw);
    // A link that broke or went silent, not a refusal, a cancel or a full disk.
    if (!signal.aborted && error instanceof GitError && (error.kind === 'network' || error.kind === 'timeout')) context.onBreak?.();
    if (!place.atDestination && !(await readResumeMarker(planned.temporaryPath))) await discardTemporary(planned);
    reportFailedAttempt(source, attempt, error, context, { started, signal });
    return { ok: false, error };
  } finally {
    watch.stop();
  }
}
