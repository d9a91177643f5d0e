/**
 * Limits on what one ref listing may receive, and the counter that enforces them as the answer
 * streams in. A real listing of a repository's branches and tags is a few hundred kilobytes even
 * for large repositories; the limits are far above that and far below what would strain memory.
 *
 * The counter passes the bytes on untouched. It counts pkt-lines (each "XXXX" length header
 * followed by its payload; a ref is one line) across chunk boundaries, without copying.
 */
import { raceSignal } from './iso-http';

export interface ListingLimits {
  /** Bytes of every response body of one listing together. */
  maxBytes: number;
  /** pkt-lines (refs, capabilities) of every response of one listing together. */
  maxRefs: number;
}

export const defaultListingLimits: ListingLimits = { maxBytes: 16 * 1024 ** 2, maxRefs: 100_000 };

export interface Counting {
  limits: ListingLimits;
  onOverLimit(what: 'bytes' | 'refs'): void;
  /** Shared by every body of one listing; created on first use. */
  totals?: { bytes: number; lines: number };
}

/** Counts pkt-lines across chunks; stops counting (not passing) on a stream that is not pkt-lines. */
export class PktLineCounter {
  private header = '';
  private remaining = 0;
  private broken = false;
  lines = 0;

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.broken) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        i += take;
        this.remaining -= take;
        continue;
      }
      this.header += String.fromCharCode(chunk[i++]!);
      if (this.header.length < 4) continue;
      const length = /^[0-9a-f]{4}$/i.test(this.header) ? Number.parseInt(this.header, 16) : -1;
      this.header = '';
      if (length < 0) this.broken = true;
      else if (length >= 4) {
        this.lines += 1;
        this.remaining = length - 4;
      }
    }
  }
}

/** The body, counted: over a limit, `onOverLimit` is called once and the body throws. */
export async function* countedBody(body: AsyncIterableIterator<Uint8Array>, signal: AbortSignal, counting: Counting): AsyncIterableIterator<Uint8Array> {
  const totals = (counting.totals ??= { bytes: 0, lines: 0 });
  const counter = new PktLineCounter();
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await raceSignal(iterator.next(), signal);
      if (next.done) return;
      const linesBefore = counter.lines;
      counter.feed(next.value);
      totals.bytes += next.value.length;
      totals.lines += counter.lines - linesBefore;
      const over = totals.bytes > counting.limits.maxBytes ? 'bytes' : totals.lines > counting.limits.maxRefs ? 'refs' : undefined;
      if (over) {
        counting.onOverLimit(over);
        throw new Error(`The listing went over its ${over} limit.`);
      }
      yield next.value;
    }
  } finally {
    void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}
