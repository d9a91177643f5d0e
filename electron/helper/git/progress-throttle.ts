/**
 * At most one progress update per interval to the listener (git prints a line per object, which
 * would be thousands of messages a second across the MessagePort to the UI), but never at the
 * cost of meaning: the first update, every phase change and the final 'done' pass at once. An
 * update held back is delivered when the interval ends (trailing edge), so the UI never shows a
 * stale value while git is quiet. `flush()` delivers a held update now; `cancel()` drops it.
 *
 * Updates are GitProgress values, or events that carry one in `.progress` (e.g. with the source it
 * comes from); `phaseOf` says where the phase is for any other shape.
 */
import type { GitProgress } from './progress';

export interface ThrottleOptions<T = GitProgress> {
  /** Default 100 ms: about ten updates a second. */
  intervalMs?: number;
  /** Milliseconds; default performance.now. */
  now?: () => number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** The phase of an update; default `update.phase ?? update.progress?.phase`. */
  phaseOf?: (update: T) => string | undefined;
}

export interface ThrottledProgressListener<T = GitProgress> {
  (update: T): void;
  flush(): void;
  cancel(): void;
}

type PhaseCarrier = { phase?: unknown; progress?: { phase?: unknown } };

function defaultPhaseOf(update: unknown): string | undefined {
  const carrier = update as PhaseCarrier | undefined;
  const phase = carrier?.phase ?? carrier?.progress?.phase;
  return typeof phase === 'string' ? phase : undefined;
}

export function throttleProgress<T = GitProgress>(listener: (update: T) => void, options: ThrottleOptions<T> = {}): ThrottledProgressListener<T> {
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  const phaseOf = options.phaseOf ?? defaultPhaseOf;
  let started = false;
  let lastPhase: string | undefined;
  let lastAt = -Infinity;
  let held: T | undefined;
  let timer: unknown;

  const deliver = (update: T) => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    held = undefined;
    started = true;
    lastPhase = phaseOf(update);
    lastAt = now();
    listener(update);
  };

  const throttled = ((update: T) => {
    const elapsed = now() - lastAt;
    const phase = phaseOf(update);
    if (!started || phase !== lastPhase || phase === 'done' || elapsed >= intervalMs) {
      deliver(update);
      return;
    }
    held = update;
    timer ??= setTimer(() => {
      timer = undefined;
      if (held !== undefined) deliver(held);
    }, intervalMs - elapsed);
  }) as ThrottledProgressListener<T>;

  throttled.flush = () => {
    if (held !== undefined) deliver(held);
  };
  throttled.cancel = () => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    held = undefined;
  };
  return throttled;
}
