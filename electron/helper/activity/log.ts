/**
 * The helper's activity history: what ended and how (a clone done, failed with its reason or
 * cancelled; a clone switched to another server; a local mirror sync that failed). Each entry is
 * kept in the data folder, so the history outlives a page reload and a helper restart, and is
 * announced (`activity.added`) to every window. What is worth keeping is decided here, from the
 * domain's own outcome objects, so the domains only say "this ended".
 */
import { randomUUID } from 'node:crypto';
import type { ActivityEntry, CloneJob, ContractErrorData, LocalMirror, SwitchResult } from '../../../shared/contract';
import { ContractError } from '../../../shared/contract';
import type { EventSink } from '../rpc/dispatcher';
import type { ActivityStore } from '../store/activity-store';

export interface ActivityLog {
  list(limit?: number): ActivityEntry[];
  cloneEnded(job: CloneJob): void;
  switched(result: SwitchResult, options?: { automatic?: boolean; repository?: string; primaryBaseUrl?: string }): void;
  switchFailed(path: string, error: unknown, options?: { repository?: string; primaryBaseUrl?: string }): void;
  syncFailed(mirror: LocalMirror, error: unknown, options?: { automatic?: boolean }): void;
}

export interface ActivityLogDeps {
  store: ActivityStore;
  emit?: EventSink;
  now?: () => Date;
  logger?: { warn(message: string, fields?: Record<string, unknown>): void };
}

/** Details can be large and are for the moment (a host key to trust now), not for history. */
function withoutDetails({ code, message, hint }: ContractErrorData): ContractErrorData {
  return { code, message, ...(hint ? { hint } : {}) };
}

function errorData(error: unknown): ContractErrorData {
  return withoutDetails(error instanceof ContractError ? error.toData() : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
}

/** "PROJECT/slug" once the primary named it; otherwise what was asked for. */
function cloneRepository(job: CloneJob): string {
  return job.target ? `${job.target.projectKey}/${job.target.slug}` : job.repository;
}

export function createActivityLog(deps: ActivityLogDeps): ActivityLog {
  const now = deps.now ?? (() => new Date());
  const add = (entry: Omit<ActivityEntry, 'id' | 'at'> & { at?: string }) => {
    const full: ActivityEntry = { id: randomUUID(), ...entry, at: entry.at ?? now().toISOString() };
    try {
      deps.store.put(full);
    } catch (error) {
      // History is a convenience: a full disk must not fail the clone that is being recorded.
      deps.logger?.warn('could not record activity', { error: String(error) });
    }
    deps.emit?.('activity.added', { entry: full });
  };

  return {
    list(limit) {
      const newestFirst = deps.store.list().reverse();
      return limit === undefined ? newestFirst : newestFirst.slice(0, limit);
    },
    cloneEnded(job) {
      if (job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled') return;
      const source = job.result?.source ?? job.source;
      add({
        kind: 'clone',
        outcome: job.state,
        at: job.finishedAt,
        repository: cloneRepository(job),
        ...(job.target ? { primaryBaseUrl: job.target.primaryBaseUrl } : {}),
        ...(job.result?.path ?? job.destination ? { path: job.result?.path ?? job.destination } : {}),
        ...(job.state === 'done' && source ? { detail: source.kind === 'primary' ? 'from the primary' : `from ${source.name} (mirror)` } : {}),
        ...(job.result ? { durationMs: job.result.durationMs } : {}),
        ...(job.state === 'failed' && job.error ? { error: withoutDetails(job.error) } : {}),
      });
    },
    switched(result, options = {}) {
      // "Already on the closest" changes nothing; a history of them would bury what did change.
      if (!result.changed) return;
      add({
        kind: 'switch',
        outcome: 'done',
        repository: options.repository ?? result.path,
        ...(options.primaryBaseUrl ? { primaryBaseUrl: options.primaryBaseUrl } : {}),
        path: result.path,
        detail: `from ${result.from.name} to ${result.to.name}`,
        ...(options.automatic ? { automatic: true } : {}),
      });
    },
    switchFailed(path, error, options = {}) {
      const data = errorData(error);
      add({
        kind: 'switch',
        outcome: data.code === 'CANCELLED' ? 'cancelled' : 'failed',
        repository: options.repository ?? path,
        ...(options.primaryBaseUrl ? { primaryBaseUrl: options.primaryBaseUrl } : {}),
        path,
        ...(data.code === 'CANCELLED' ? {} : { error: data }),
      });
    },
    syncFailed(mirror, error, options = {}) {
      add({
        kind: 'sync',
        outcome: 'failed',
        repository: `${mirror.projectKey}/${mirror.slug}`,
        primaryBaseUrl: mirror.primaryBaseUrl,
        path: mirror.path,
        ...(options.automatic ? { automatic: true } : {}),
        error: errorData(error),
      });
    },
  };
}
