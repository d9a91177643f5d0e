/**
 * Keeps local mirrors fresh in the background: each is synced every period (default 5 minutes)
 * with jitter, so machines do not fetch in step; a failure is retried with exponential backoff up
 * to an hour and recorded on the mirror (never dropped silently). The next due time and the
 * failure count live in the mirror's stored record, so a restarted helper carries on where it
 * stopped. One sync at a time: the cache is a background duty, not a race.
 */
import { backoffDelay, type BackoffPolicy } from '../../../shared/backoff';
import type { LocalMirror } from '../../../shared/contract';
import type { LocalMirrorsStore } from '../store/local-mirrors-store';

export interface SyncSchedulerOptions {
  store: LocalMirrorsStore;
  sync(mirror: LocalMirror, signal: AbortSignal): Promise<LocalMirror>;
  periodMs?: number;
  /** 0.2: each period is 80%..120% of periodMs. */
  jitter?: number;
  retry?: BackoffPolicy;
  onChange?(mirror: LocalMirror): void;
  random?: () => number;
}

export interface SyncScheduler {
  start(): void;
  setPaused(paused: boolean): void;
  readonly paused: boolean;
  stop(): Promise<void>;
}

const defaults = { periodMs: 5 * 60_000, jitter: 0.2, retry: { baseMs: 30_000, maxMs: 60 * 60_000, jitter: 0.3 } };

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const periodMs = options.periodMs ?? defaults.periodMs;
  const jitter = options.jitter ?? defaults.jitter;
  const retry = options.retry ?? defaults.retry;
  const random = options.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let paused = false;
  let stopped = false;
  let running: { controller: AbortController; done: Promise<void> } | undefined;

  const nextPeriod = () => Math.round(periodMs * (1 - jitter + 2 * jitter * random()));
  const dueAt = (mirror: LocalMirror) => mirror.nextSyncAt ?? (mirror.lastSyncAt ? Date.parse(mirror.lastSyncAt) + periodMs : 0);

  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    if (paused || stopped || running) return;
    const mirrors = options.store.list();
    if (mirrors.length === 0) {
      timer = setTimeout(schedule, periodMs); // a mirror added later is picked up then
      return;
    }
    const next = Math.min(...mirrors.map(dueAt));
    timer = setTimeout(runDue, Math.max(0, next - Date.now()));
  };

  const runDue = () => {
    const due = options.store.list().filter((mirror) => dueAt(mirror) <= Date.now()).sort((a, b) => dueAt(a) - dueAt(b))[0];
    if (!due) return schedule();
    const controller = new AbortController();
    const done = (async () => {
      try {
        const synced = await options.sync(due, controller.signal);
        const next = { ...synced, failures: 0, nextSyncAt: Date.now() + nextPeriod() };
        options.store.put(next);
        options.onChange?.(next);
      } catch {
        if (controller.signal.aborted) return;
        const current = options.store.get(due.id);
        if (!current) return; // removed while syncing
        const failures = (current.failures ?? 0) + 1;
        const next = { ...current, state: 'failed' as const, failures, nextSyncAt: Date.now() + backoffDelay(failures - 1, retry, random) };
        options.store.put(next);
        options.onChange?.(next);
      }
    })();
    running = { controller, done };
    void done.finally(() => {
      running = undefined;
      schedule();
    });
  };

  return {
    start() {
      stopped = false;
      schedule();
    },
    get paused() {
      return paused;
    },
    setPaused(value) {
      paused = value;
      if (paused) clearTimeout(timer);
      else schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      running?.controller.abort();
      await running?.done;
    },
  };
}
