/**
 * Runs work over a list, at most `limit()` at once; the limit may grow while it runs (see
 * adaptive-limit.ts), and `pump()` starts what it now allows. Starts that fill free room (the
 * first wave, or room made by a higher limit) are spaced `staggerMs` apart: clones started
 * together share a thin link evenly, so they also finish together and then all spend their
 * set-up at once while the link idles. Spread out, one clone's set-up overlaps the others'
 * transfers, and stays so. A start that replaces a finished clone goes at once.
 */
export interface PoolOptions<T> {
  limit(): number;
  work(value: T): Promise<unknown>;
  staggerMs?: number;
  /** Told after each piece of work ends (before the next starts). */
  onFinished?(): void;
}

export interface Pool {
  readonly done: Promise<void>;
  /** Starts as much as the limit allows now. */
  pump(): void;
}

export function runPool<T>(values: readonly T[], options: PoolOptions<T>): Pool {
  let next = 0;
  let active = 0;
  let lastStartAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));

  const start = () => {
    const value = values[next++]!;
    active += 1;
    lastStartAt = performance.now();
    void options
      .work(value)
      .catch(() => {})
      .finally(() => {
        active -= 1;
        options.onFinished?.();
        if (next < values.length) start();
        pump();
      });
  };
  const pump = () => {
    if (timer) return;
    if (next >= values.length) {
      if (active === 0) finish();
      return;
    }
    if (active >= options.limit()) return;
    const wait = lastStartAt + (options.staggerMs ?? 0) - performance.now();
    if (active > 0 && wait > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, wait);
      return;
    }
    start();
    pump();
  };
  pump();
  return { done, pump };
}
