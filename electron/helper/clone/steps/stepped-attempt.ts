/**
 * One attempt at a stepped clone from one source: like transfer-attempt.ts (the budget watching
 * it, its outcome reported), except that a failure keeps what the complete steps left in the
 * temporary folder, so the next attempt, from this source or the next, carries on from there.
 * Only a folder that never got its note (resume-marker.ts) is removed.
 */
import type { CloneSource } from '../../../../shared/contract';
import { discardTemporary } from '../destination';
import { watchTransfer } from '../../transfer/transfer-budget';
import { serverNameOf } from '../../transfer/source-failure';
import { measureTransfer } from '../../transfer/measure-transfer';
import { reportFailedAttempt, type AttemptContext, type AttemptOutcome } from '../transfer-attempt';
import { readResumeMarker, type RepositoryKey } from './resume-marker';
import { runSteps } from './run-steps';
import { stallEnvironment, type StepSettings } from './step-plan';

export interface SteppedAttemptContext extends AttemptContext {
  steps: StepSettings;
  repository: RepositoryKey;
  /**
   * The furthest the clone's one bar has gone, shared by its attempts: after a break the bytes of
   * the step in flight come again, and the bar waits for them rather than jumping back.
   */
  shown: { value: number; receivedBytes: number };
}

export async function attemptSteppedTransfer(source: CloneSource, attempt: number, context: SteppedAttemptContext, signal: AbortSignal): Promise<AttemptOutcome> {
  const { planned, reporter } = context;
  const expectedBytes = context.expectedBytes instanceof Promise ? null : context.expectedBytes;
  reporter.phase('cloning', { destination: planned.path, source, expectedBytes });
  const started = performance.now();
  const watch = await watchTransfer({ limitBytes: context.limitBytes, sizeKnown: context.sizeKnown, serverName: serverNameOf(source), signal, repository: planned.temporaryPath });
  // Each step is measured on its own: the set-up between steps is not the link's speed.
  let measure = measureTransfer(source.url, context.recording);
  try {
    await runSteps({
      repository: planned.temporaryPath,
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
    if (!(await readResumeMarker(planned.temporaryPath))) await discardTemporary(planned);
    reportFailedAttempt(source, attempt, error, context, { started, signal });
    return { ok: false, error };
  } finally {
    watch.stop();
  }
}
