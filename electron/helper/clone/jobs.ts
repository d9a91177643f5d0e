/**
 * Clone jobs: each runs in the background, independent of the request that started it (a UI can
 * reload, reconnect and find it again), reports state and throttled progress as events, and can
 * be cancelled by id. The last finished jobs are kept so a reconnecting UI can show outcomes.
 */
import { randomUUID } from 'node:crypto';
import { ContractError, type CloneJob } from '../../../shared/contract';
import type { EventSink } from '../rpc/dispatcher';
import { throttleProgress } from '../git/progress';
import type { Logger } from '../logger';
import { runClone, type CloneDeps, type CloneParams } from './run-clone';

const keptFinishedJobs = 50;

export interface CloneJobs {
  start(params: CloneParams): string;
  cancel(jobId: string): boolean;
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

export function createCloneJobs(deps: CloneDeps & { emit: EventSink; logger: Logger }): CloneJobs {
  const jobs = new Map<string, RunningJob>();

  const publish = (running: RunningJob, patch: Partial<CloneJob>) => {
    running.job = { ...running.job, ...patch };
    deps.emit('clone.state', { job: running.job });
  };

  const forget = () => {
    const finished = [...jobs.values()].filter((running) => running.job.finishedAt);
    for (const old of finished.slice(0, Math.max(0, finished.length - keptFinishedJobs))) jobs.delete(old.job.jobId);
  };

  return {
    start(params) {
      const jobId = randomUUID();
      const controller = new AbortController();
      const running: RunningJob = {
        job: { jobId, repository: params.repository, state: 'discovering', attempts: [], startedAt: new Date().toISOString(), params },
        controller,
        done: Promise.resolve(undefined as never),
      };
      jobs.set(jobId, running);
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
          publish(running, { state: cancelled ? 'cancelled' : 'failed', error: cancelled ? { code: 'CANCELLED', message: 'The clone was cancelled; nothing was left at the destination.' } : data, finishedAt: new Date().toISOString() });
          return running.job;
        },
      ).finally(forget);
      deps.emit('clone.state', { job: running.job });
      return jobId;
    },

    cancel(jobId) {
      const running = jobs.get(jobId);
      if (!running || running.job.finishedAt) return false;
      running.controller.abort();
      return true;
    },

    list: () => [...jobs.values()].map((running) => running.job),

    settled(jobId) {
      const running = jobs.get(jobId);
      if (!running) return Promise.reject(new ContractError('NOT_FOUND', `No clone job ${jobId}.`));
      return running.done;
    },

    async stopAll() {
      const active = [...jobs.values()].filter((running) => !running.job.finishedAt);
      for (const running of active) running.controller.abort();
      await Promise.allSettled(active.map((running) => running.done));
    },
  };
}
