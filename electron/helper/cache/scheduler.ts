/**
 * Keeps local mirrors fresh in the background: each is synced every period (default 5 minutes)
 * with jitter, so machines do not fetch in step; a failure is retried with exponential backoff up
 * to an hour and recorded on the mirror (never dropped silently). The next due time and the
 * failure count live in the mirror's stored record, so a restarted helper carries on where it
 * stopped. Between syncs a cheap consistency check (default every 3 minutes) compares the
 * mirror's refs with the primary's and syncs at once on a difference. One job at a time: the
 * cache is a background duty, not a race.
 */
import { backoffDelay, type BackoffPolicy } from '../../../shared/backoff';
import type { LocalMirror } from '../../../shared/contract';
import type { LocalMirrorsStore } from '../store/local-mirrors-store';

export interface SyncSchedulerOptions {
  store: LocalMirrorsStore;
  sync(mirror: LocalMirror, signal: AbortSignal): Promise<LocalMirror>;
  /** Between syncs: is the mirror still equal to the primary? A "no" syncs it at once. */
  check?(mirror: LocalMirror, signal: AbortSignal): Promise<boolean>;
  /** Default 3 minutes. */
  checkEveryMs?: number;
  periodMs?: number;
  /** 0.2: each period is 80%..120% of periodMs. */
  jitter?: number;
  retry?: BackoffPolicy;
  onChange?(mirror: LocalMirror): void;
  random?: () => number;
}

export interface SyncScheduler {
  start(): void;
  /** Looks at the mirrors again (one was added or removed). */
  wake(): void;
  /** A sync made outside the schedule (Sync now): the next one is due a period later, or backed off like the schedule's own failures. */
  recorded(id: string, ok: boolean): LocalMirror | undefined;
  setPaused(paused: boolean): void;
  readonly paused: boolean;
  stop(): Promise<void>;
}

const defaults = { periodMs: 5 * 60_000, checkEveryMs: 3 * 60_000, jitter: 0.2, retry: { baseMs: 30_000, maxMs: 60 * 60_000, jitter: 0.3 } };

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const periodMs = options.periodMs ?? defaults.periodMs;
  const jitter = options.jitter ?? defaults.jitter;
  const retry = options.retry ?? defaults.retry;
  const random = options.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let paused = false;
  let stopped = false;
  let running: { controller: AbortController; done: Promise<void> } | undefined;

  const checkEveryMs = options.checkEveryMs ?? defaults.checkEveryMs;
  const nextPeriod = () => Math.round(periodMs * (1 - jitter + 2 * jitter * random()));
  const syncDueAt = (mirror: LocalMirror) => mirror.nextSyncAt ?? (mirror.lastSyncAt ? Date.parse(mirror.lastSyncAt) + periodMs : 0);
  const checkDueAt = (mirror: LocalMirror) =>
    options.check && mirror.state === 'ready' ? (mirror.lastCheckAt ?? (mirror.lastSyncAt ? Date.parse(mirror.lastSyncAt) : 0)) + checkEveryMs : Infinity;
  const dueAt = (mirror: LocalMirror) => Math.min(syncDueAt(mirror), checkDueAt(mirror));

  const announce = (mirror: LocalMirror | undefined) => mirror && options.onChange?.(mirror);
  /** When the mirror is next due after a sync: a period later, or backed off after failures in a row. */
  const recordOutcome = (id: string, ok: boolean): LocalMirror | undefined =>
    options.store.update(id, (current) => {
      if (ok) return { ...current, failures: 0, nextSyncAt: Date.now() + nextPeriod(), lastCheckAt: Date.now() };
      const failures = (current.failures ?? 0) + 1;
      return { ...current, state: 'failed', failures, nextSyncAt: Date.now() + backoffDelay(failures - 1, retry, random) };
    });

  const schedule = () => {
    clearTimeout(timer);
    timer = undefined;
    if (paused || stopped || running) return;
    const mirrors = options.store.list();
    if (mirrors.length === 0) return; // wake() is called when one is added
    const next = Math.min(...mirrors.map(dueAt));
    timer = setTimeout(runDue, Math.max(0, next - Date.now()));
  };

  const runDue = () => {
    const due = options.store.list().filter((mirror) => dueAt(mirror) <= Date.now()).sort((a, b) => dueAt(a) - dueAt(b))[0];
    if (!due) return schedule();
    const controller = new AbortController();
    const done = (async () => {
      try {
        if (syncDueAt(due) > Date.now() && options.check) {
          const consistent = await options.check(due, controller.signal).catch(() => false);
          const current = options.store.get(due.id);
          if (!current) return;
          options.store.put({ ...current, lastCheckAt: Date.now() });
          if (consistent) return;
        }
        await options.sync(due, controller.signal);
        announce(recordOutcome(due.id, true));
      } catch {
        if (controller.signal.aborted) return;
        announce(recordOutcome(due.id, false));
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
    wake: () => schedule(),
    recorded(id, ok) {
      const mirror = recordOutcome(id, ok);
      schedule();
      return mirror;
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
