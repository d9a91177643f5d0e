/**
 * The number of clones a batch runs at once, raised while raising it pays. The first choice
 * (concurrency.ts) rests on what one transfer gets; a link may carry more than one transfer
 * takes (a far server's TCP window, a server that sends slowly), which only running more shows.
 * So once every clone of the current level has had its turn, the bytes per second all of them
 * moved together are compared with the level before (the first level with one transfer's
 * rate): a gain of a sixth or more raises the level by one; less, and the link is full: it stays.
 */
export interface AdaptiveLimit {
  limit(): number;
  /** Total bytes received so far, as the batch samples them. */
  sample(bytes: number, at: number): void;
  /** A clone ended: answers true when the level was raised. */
  finished(at: number): boolean;
}

/** Less gain than this from one more clone at once says the link is full. */
const worthwhileGain = 1 / 6;
/** A level is judged on at least this much time: shorter, git's bursts decide. */
const minLevelMs = 2_000;

export function adaptiveLimit(options: { initial: number; cap: number; singleRate: number | null }): AdaptiveLimit {
  let level = options.initial;
  let settled = options.singleRate === null || options.initial >= options.cap;
  let previousRate = options.singleRate ?? 0;
  let bytesNow = 0;
  let levelStart: { at: number; bytes: number } | undefined;
  let finishedInLevel = 0;

  return {
    limit: () => level,
    sample(bytes, at) {
      bytesNow = bytes;
      levelStart ??= { at, bytes };
    },
    finished(at) {
      if (settled || !levelStart) return false;
      finishedInLevel += 1;
      const elapsed = at - levelStart.at;
      if (finishedInLevel < level || elapsed < minLevelMs) return false;
      const rate = ((bytesNow - levelStart.bytes) * 1000) / elapsed;
      if (rate < previousRate * (1 + worthwhileGain)) {
        settled = true;
        return false;
      }
      previousRate = rate;
      level += 1;
      settled = level >= options.cap;
      levelStart = { at, bytes: bytesNow };
      finishedInLevel = 0;
      return true;
    },
  };
}
