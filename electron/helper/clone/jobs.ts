/**
 * Clone jobs: each runs in the background, independent of the request that started it (a UI can
 * reload, reconnect and find it again), reports state and throttled progress as events, and can
 * be cancelled by id. The last finished jobs are kept so a reconnecting UI can show outcomes.
 * With a journal, running jobs are noted in the data folder, and a helper that starts after one
 * died under them cleans up and starts them again (once) under the same id.
 * A clone made in steps becomes ready to work before it is complete (`job.ready`); cancelled or
 * failed after that, it stays at its destination as a working shallow clone, and Retry finishes it.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, type CloneJob } from '../../../shared/contract';
import type { EventSink } from '../rpc/dispatcher';
import { throttleProgress } from '../git/progress';
import type { Logger } from '../logger';
import { runClone, type CloneDeps, type CloneParams } from './run-clone';
import { discardInterruptedTemporary, interruptedEntries, type JobJournal } from './job-journal';
import { destinationTaken } from './destination';
import { historyPendingAt } from './steps/resume-marker';

const keptFinishedJobs = 50;
/** A clone that was under the helper when it died twice may be what kills it: not a third time. */
const maxResumes = 1;

interface Resumption {
  jobId: string;
  startedAt: string;
  resumes: number;
}

export interface CloneJobs {
  start(params: CloneParams, resumption?: Resumption, retryOf?: string): string;
  /** Starts again the clones a previous helper was running when it died (see job-journal.ts). */
  resumeInterrupted(): Promise<void>;
  cancel(jobId: string): boolean;
  /** Starts a failed or cancelled job again under a new id that takes its place; the old one is forgotten. */
  retry(jobId: string): Promise<string>;
  /** Forgets these jobs if they have finished; answers how many were forgotten. */
  dismiss(jobIds: readonly string[]): number;
  list(): CloneJob[];
  /** Resolves when the job has finished (any outcome), for callers that wait, like the CLI. */
  settled(jobId: string): Promise<CloneJob>;
  /** Cancels every running job and waits until each has cleaned up. */
  stopAll(): Promise<void>;
}

interface RunningJob {
  job: CloneJob;
  controller: AbortController;
  done: Promise<CloneJob>;
}

export interface CloneJobsDeps extends CloneDeps {
  emit: EventSink;
  logger: Logger;
  journal?: JobJournal;
  /** Told once when a job ends (done, failed or cancelled): the activity history keeps it. */
  onEnded?(job: CloneJob): void;
}

const isFinished = (job: CloneJob) => job.finishedAt !== undefined;

export function createCloneJobs(deps: CloneJobsDeps): CloneJobs {
  const jobs = new Map<string, RunningJob>();

  const publish = (running: RunningJob, patch: Partial<CloneJob>) => {
    running.job = { ...running.job, ...patch };
    deps.emit('clone.state', { job: running.job });
    if (patch.finishedAt) deps.onEnded?.(running.job);
  };

  const forget = () => {
    const finished = [...jobs.values()].filter((running) => running.job.finishedAt);
    for (const old of finished.slice(0, Math.max(0, finished.length - keptFinishedJobs))) jobs.delete(old.job.jobId);
  };

  const jobsApi: CloneJobs = {
    start(params, resumption, retryOf?: string) {
      const jobId = resumption?.jobId ?? randomUUID();
      const startedAt = resumption?.startedAt ?? new Date().toISOString();
      const controller = new AbortController();
      const running: RunningJob = {
        job: { jobId, repository: params.repository, state: 'discovering', attempts: [], startedAt, params, ...(resumption ? { resumes: resumption.resumes } : {}), ...(retryOf ? { retryOf } : {}) },
        controller,
        done: Promise.resolve(undefined as never),
      };
      jobs.set(jobId, running);
      deps.journal?.put({ jobId, params, startedAt, pid: process.pid, resumes: resumption?.resumes ?? 0 });
      const progress = throttleProgress((event: { source: CloneJob['source'] & object; progress: NonNullable<CloneJob['progress']> }) => {
        running.job = { ...running.job, progress: event.progress };
        deps.emit('clone.progress', { jobId, source: event.source, progress: event.progress });
      });

      running.done = runClone(
        params,
        deps,
        {
          phase: (state, details = {}) => publish(running, { state, ...details }),
          progress: (source, value) => progress({ source, progress: value }),
          attempt: (attempt) => publish(running, { attempts: [...running.job.attempts, attempt] }),
          planned: ({ path, temporaryPath }) => deps.journal?.update(jobId, (entry) => ({ ...entry, destination: path, temporaryPath })),
          identified: (target, destination, notes) => publish(running, { target, ...(destination ? { destination } : {}), ...(notes?.largeFilesWarning ? { largeFilesWarning: notes.largeFilesWarning } : {}) }),
          ready: ({ path, afterMs }) => {
            // Its temporary folder is gone: the clone is at its destination, which is never removed.
            deps.journal?.update(jobId, ({ temporaryPath: _moved, ...entry }) => ({ ...entry, destination: path }));
            publish(running, { ready: { path, afterMs, at: new Date().toISOString() }, destination: path });
          },
        },
        controller.signal,
      ).then(
        (result) => {
          progress.flush();
          publish(running, { state: 'done', result, source: result.source, finishedAt: new Date().toISOString() });
          return running.job;
        },
        (error: unknown) => {
          progress.cancel();
          const cancelled = controller.signal.aborted;
          const data = error instanceof ContractError ? error.toData() : new ContractError('INTERNAL', error instanceof Error ? error.message : String(error)).toData();
          if (!cancelled && !(error instanceof ContractError)) deps.logger.error('clone failed unexpectedly', { jobId, error: String(error) });
          const ready = running.job.ready;
          const stopped = ready
            ? { code: 'CANCELLED' as const, message: `Stopped before its history was complete: ${ready.path} is ready to work as a shallow clone.`, hint: 'Finish history (or the same clone to the same folder) continues it from where it stopped.' }
            : { code: 'CANCELLED' as const, message: 'The clone was cancelled; nothing was left at the destination.' };
          publish(running, { state: cancelled ? 'cancelled' : 'failed', error: cancelled ? stopped : data, finishedAt: new Date().toISOString() });
          return running.job;
        },
      ).finally(() => {
        deps.journal?.remove(jobId);
        forget();
      });
      deps.emit('clone.state', { job: running.job });
      return jobId;
    },

    cancel(jobId) {
      const running = jobs.get(jobId);
      if (!running || running.job.finishedAt) return false;
      running.controller.abort();
      return true;
    },

    async retry(jobId) {
      const old = jobs.get(jobId)?.job;
      if (!old) throw new ContractError('NOT_FOUND', `No clone job ${jobId}.`, { hint: 'It was cleared, or the helper restarted since; start the clone again from Repositories.' });
      if (old.state !== 'failed' && old.state !== 'cancelled') {
        throw new ContractError('CONFLICT', old.state === 'done' ? 'This clone has already succeeded.' : 'This clone is still running.');
      }
      if (!old.params) throw new ContractError('NOT_FOUND', 'This clone cannot be retried: how it was started is not known.', { hint: 'Start it again from Repositories.' });
      // A clone ready to work whose history stopped part-way is finished in its folder: that is the retry.
      const unfinished = old.destination !== undefined && (await historyPendingAt(old.destination));
      const existing = old.destination ? deps.clones.get(old.destination) : undefined;
      if (existing && !unfinished) {
        throw new ContractError('CONFLICT', `${old.destination} already holds a finished clone of ${existing.projectKey}/${existing.slug}.`, { hint: 'It is listed in Local clones. To clone again, choose another folder.' });
      }
      // A retry into a folder that is still taken can only fail the same way: say so now.
      if (old.destination && !unfinished && (await destinationTaken(old.destination))) {
        throw new ContractError('CONFLICT', `${old.destination} still exists and is not empty.`, { hint: 'Move or remove it, then Retry; or clone again into another folder from Repositories.' });
      }
      if (jobs.get(jobId)?.job !== old) throw new ContractError('CONFLICT', 'This clone is already being retried.');
      jobs.delete(jobId);
      return jobsApi.start(old.params, undefined, jobId);
    },

    dismiss(jobIds) {
      let dismissed = 0;
      for (const jobId of jobIds) {
        const running = jobs.get(jobId);
        if (running && isFinished(running.job)) dismissed += Number(jobs.delete(jobId));
      }
      return dismissed;
    },

    list: () => [...jobs.values()].map((running) => running.job),

    settled(jobId) {
      const running = jobs.get(jobId);
      if (!running) return Promise.reject(new ContractError('NOT_FOUND', `No clone job ${jobId}.`));
      return running.done;
    },

    async resumeInterrupted() {
      if (!deps.journal) return;
      for (const entry of interruptedEntries(deps.journal)) {
        await discardInterruptedTemporary(entry).catch((error: unknown) => deps.logger.warn('could not remove an interrupted clone', { jobId: entry.jobId, error: String(error) }));
        deps.journal.remove(entry.jobId);
        if (entry.resumes < maxResumes) {
          deps.logger.info('starting again a clone the previous helper was running', { jobId: entry.jobId });
          jobsApi.start(entry.params, { jobId: entry.jobId, startedAt: entry.startedAt, resumes: entry.resumes + 1 });
          continue;
        }
        const job: CloneJob = {
          jobId: entry.jobId,
          repository: entry.params.repository,
          state: 'failed',
          destination: entry.destination,
          attempts: [],
          startedAt: entry.startedAt,
          finishedAt: new Date().toISOString(),
          params: entry.params,
          resumes: entry.resumes,
          error: new ContractError('INTERRUPTED', 'The helper stopped again while this clone was running, so it was not started a third time. Nothing was left at the destination.', {
            hint: 'Retry starts it again. If the helper keeps stopping, its log says why.',
          }).toData(),
        };
        jobs.set(job.jobId, { job, controller: new AbortController(), done: Promise.resolve(job) });
        deps.emit('clone.state', { job });
        deps.onEnded?.(job);
      }
    },

    async stopAll() {
      const active = [...jobs.values()].filter((running) => !running.job.finishedAt);
      for (const running of active) running.controller.abort();
      await Promise.allSettled(active.map((running) => running.done));
    },
  };
  return jobsApi;
}
