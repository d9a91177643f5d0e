/**
 * One attempt to clone from one source into the planned temporary folder: the transfer budget
 * watching it, its throughput measured and remembered, its progress and its outcome reported.
 * On failure the temporary folder is removed, so the next attempt (from this source or another)
 * starts clean. Used by the clone's source loop and by its head start alike.
 */
import type { CloneSource, GitProgressData } from '../../../shared/contract';
import type { PrimaryCredentials } from '../bitbucket/rest-client';
import { cloneRepository } from '../git/clone';
import { isoCloneRepository } from '../git/iso-clone';
import type { CloneEngine } from '../git/engine';
import { discardTemporary, type PlannedDestination } from './destination';
import { watchTransfer } from '../transfer/transfer-budget';
import { describeSourceFailure, serverNameOf } from '../transfer/source-failure';
import { measureTransfer, type ThroughputRecording } from '../transfer/measure-transfer';
import type { CloneReporter } from './run-clone';

export interface AttemptContext {
  planned: PlannedDestination;
  env: Record<string, string>;
  engine: CloneEngine;
  /** A local mirror to borrow objects from (native git only). */
  reference?: string;
  credentials?: PrimaryCredentials;
  sendsTokenTo(url: string): boolean;
  protocol: 'http' | 'ssh';
  depth?: number;
  branch?: string;
  /** The repository's size when known; a promise when it becomes known during the transfer (a head start). */
  expectedBytes: number | null | Promise<number | null>;
  limitBytes: number;
  sizeKnown: boolean;
  primaryHost: string;
  recording: ThroughputRecording;
  reporter: CloneReporter;
}

export type AttemptOutcome = { ok: true } | { ok: false; error: unknown };

export async function attemptTransfer(source: CloneSource, attempt: number, context: AttemptContext, signal: AbortSignal): Promise<AttemptOutcome> {
  const { planned, reporter } = context;
  reporter.phase('cloning', { destination: planned.path, source, expectedBytes: context.expectedBytes instanceof Promise ? null : context.expectedBytes });
  const started = performance.now();
  const watch = await watchTransfer({ limitBytes: context.limitBytes, sizeKnown: context.sizeKnown, serverName: serverNameOf(source), signal, repository: planned.temporaryPath });
  const measure = measureTransfer(source.url, context.recording);
  try {
    const onProgress = (progress: GitProgressData) => {
      watch.onProgress(progress);
      measure.onProgress(progress);
      reporter.progress(source, progress);
    };
    const options = { url: source.url, directory: planned.temporaryPath, signal: watch.signal, env: context.env, depth: context.depth, branch: context.branch, expectedBytes: context.expectedBytes, onProgress };
    if (context.engine === 'native') await cloneRepository({ ...options, ...(context.reference ? { reference: context.reference, dissociate: true } : {}) });
    // In process, the primary's credentials go only where the primary (or the user, by name) vouches.
    else await isoCloneRepository({ ...options, credentials: context.sendsTokenTo(source.url) ? context.credentials : undefined });
    reporter.attempt({ source, attempt, ok: true, durationMs: Math.round(performance.now() - started) });
    await measure.record();
    return { ok: true };
  } catch (raw) {
    const error = watch.explain(raw);
    await discardTemporary(planned);
    reportFailedAttempt(source, attempt, error, context, { started, signal });
    return { ok: false, error };
  } finally {
    watch.stop();
  }
}

/** Tells the reporter how an attempt failed, in words for the user; nothing when it was cancelled. */
export function reportFailedAttempt(source: CloneSource, attempt: number, error: unknown, context: AttemptContext, timing: { started: number; signal: AbortSignal }): void {
  if (timing.signal.aborted) return;
  // Over HTTP, a server the primary did not vouch for was asked without the token: a refusal says so.
  const anonymous = context.protocol === 'http' && context.credentials !== undefined && !context.sendsTokenTo(source.url);
  context.reporter.attempt({ source, attempt, ok: false, error: describeSourceFailure(error, { source, primaryHost: context.primaryHost, anonymous }), durationMs: Math.round(performance.now() - timing.started) });
}
