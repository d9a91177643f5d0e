/**
 * The HTTP client isomorphic-git clones through (iso-clone.ts): every request carries our abort
 * signal and follows no redirect, and the body of the upload-pack response (the pack) is watched
 * on its way in.
 *
 * Watching: that body is a stream of pkt-lines ("0032" + payload). Once the server switches to
 * side-band, each payload starts with a band byte: 1 = pack data, 2 = progress text (the server's
 * "Counting objects: 45% (34/76)\r"), 3 = an error. We read the bands in order as they arrive, so
 * the server's progress and the pack bytes reach the progress parser in the order the server
 * sent them, which isomorphic-git's own progress events do not guarantee (it parses the text
 * lines asynchronously). The bytes are passed on to isomorphic-git untouched.
 *
 * Aborting: isomorphic-git's node client hands the signal to the request, but a body already
 * streaming may not notice; the watched body rejects its pending read the moment the signal fires.
 */
import type { HttpClient } from 'isomorphic-git';

export interface PackWatcher {
  /** Pack data arrived: `bytes` of band 1 in this packet. */
  onPackBytes(bytes: number): void;
  /** Progress text from the server (band 2), raw, with its '\r' and '\n'. */
  onRemoteText(text: string): void;
  /** An error message from the server (band 3). */
  onRemoteError(text: string): void;
  /** The pack response ended normally. */
  onEnd(): void;
}

export function abortError(): Error {
  return Object.assign(new Error('The clone was cancelled.'), { code: 'Aborted' });
}

export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Splits pkt-lines across chunk boundaries without copying pack data. */
class PktLineReader {
  private header = '';
  private remaining = 0;
  private band: number | undefined;
  private atPayloadStart = false;
  private text = '';
  private broken = false;

  constructor(private readonly watcher: PackWatcher) {}

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.broken) {
      if (this.remaining === 0) {
        this.header += String.fromCharCode(chunk[i++]!);
        if (this.header.length < 4) continue;
        const header = this.header;
        this.header = '';
        // Not a pkt-line stream after all: stop watching (the bytes still pass through).
        if (!/^[0-9a-f]{4}$/i.test(header)) this.broken = true;
        else if (Number.parseInt(header, 16) >= 4) this.start(Number.parseInt(header, 16) - 4);
        // 0000 flush, 0001/0002 delimiters: nothing follows
        continue;
      }
      if (this.atPayloadStart) {
        const first = chunk[i]!;
        this.band = first >= 1 && first <= 3 ? first : undefined; // plain lines (NAK, ACK, shallow) are text
        this.atPayloadStart = false;
        if (this.band !== undefined) {
          i++;
          this.remaining--;
          if (this.remaining === 0) this.finish();
          continue;
        }
      }
      const take = Math.min(this.remaining, chunk.length - i);
      if (this.band === 1) this.watcher.onPackBytes(take);
      else if (this.band !== undefined) this.text += Buffer.from(chunk.subarray(i, i + take)).toString('utf8');
      i += take;
      this.remaining -= take;
      if (this.remaining === 0) this.finish();
    }
  }

  private start(payload: number): void {
    this.remaining = payload;
    this.atPayloadStart = payload > 0;
  }

  private finish(): void {
    if (this.band === 2) this.watcher.onRemoteText(this.text);
    if (this.band === 3) this.watcher.onRemoteError(this.text);
    this.text = '';
    this.band = undefined;
  }
}

async function* watchedBody(body: AsyncIterableIterator<Uint8Array>, signal: AbortSignal, watcher: PackWatcher) {
  const iterator = body[Symbol.asyncIterator]();
  const reader = new PktLineReader(watcher);
  try {
    for (;;) {
      const next = await raceSignal(iterator.next(), signal);
      if (next.done) break;
      reader.feed(next.value);
      yield next.value;
    }
    watcher.onEnd();
  } finally {
    // Not awaited: a body stuck mid-read (a stalled server) may never answer return(), and the
    // abort must not wait for it. isomorphic-git's node body destroys its stream right away.
    void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

/** Wraps `base` as described at the top of this file. */
export function watchedHttp(base: HttpClient, signal: AbortSignal, watcher: PackWatcher): HttpClient {
  return {
    request: async (request) => {
      const response = await raceSignal(base.request({ ...request, signal, fetchOptions: { ...request.fetchOptions, followRedirects: false } }), signal);
      if (!request.url.endsWith('/git-upload-pack') || !response.body) return response;
      return { ...response, body: watchedBody(response.body, signal, watcher) };
    },
  };
}
