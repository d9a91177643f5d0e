/**
 * A short real transfer that tells how fast a server delivers here, for a server nothing is
 * known of yet. It asks the server for a pack of one commit's history over the same smart HTTP
 * protocol a clone uses (one stateless upload-pack request: `want`, `done`), reads the start of
 * the answer, and hangs up after `maxBytes` or `maxMs` of payload, whichever comes first. Nothing
 * is written anywhere; the bytes are counted and dropped.
 *
 * The rate is taken from the first byte of the answer to the last, not from the request: the time
 * a server spends counting objects before it sends anything is set-up, which the expected-time
 * model counts in round trips already.
 *
 * Several servers are measured one after another, never at once: at the same time they would
 * share this machine's own downlink, and when that is the narrowest part of the path every server
 * would look the same.
 */
import http from 'node:http';
import https from 'node:https';
import { NetworkError, classifyNetworkFailure } from '../net/network-error';
import { trustOptions, type ExtraCa } from '../net/trust';
import { checkedRemoteUrl } from '../git/remote-refs';
import { RemoteRefsError, authorizationHeaders, pktLine, type RemoteAuth } from '../git/smart-http';

export interface ThroughputProbeOptions {
  /** The repository's HTTP(S) clone URL on that server. */
  url: string;
  /** A commit the server has (a branch tip from its own ref listing). */
  want: string;
  /** Sent only to servers the primary vouched for; the caller decides. */
  auth?: RemoteAuth;
  ca?: ExtraCa;
  signal?: AbortSignal;
  /** Stop after this much payload. Default 4 MB. */
  maxBytes?: number;
  /** Stop after this long from the first byte. Default 600 ms. */
  maxMs?: number;
  /** Give up when the answer has not started by then (a server counting a huge history). Default 3 s. */
  firstByteTimeoutMs?: number;
}

export interface ThroughputProbeResult {
  /** Bytes received, all of them (what the measurement cost). */
  bytes: number;
  /** Bytes and time from the first byte to the last: what the rate is made of. */
  payloadBytes: number;
  payloadMs: number;
  /** From the request to the hang-up. */
  totalMs: number;
  /** payloadBytes over payloadMs; undefined when too little arrived to say. */
  bytesPerSecond?: number;
}

/** Less than this over less than this says more about latency than throughput. */
const minimumPayload = { bytes: 64 * 1024, ms: 50 };

export function probeThroughput(options: ThroughputProbeOptions): Promise<ThroughputProbeResult> {
  const base = checkedRemoteUrl(options.url);
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(options.want)) return Promise.reject(new Error('A throughput measurement needs a full commit id.'));
  const url = new URL(`${base.href}/git-upload-pack`);
  const maxBytes = options.maxBytes ?? 4_000_000;
  const maxMs = options.maxMs ?? 600;
  const firstByteTimeoutMs = options.firstByteTimeoutMs ?? 3_000;
  // No side-band: after its NAK the server sends the pack as is, and nothing else.
  const body = `${pktLine(`want ${options.want} ofs-delta no-progress\n`)}0000${pktLine('done\n')}`;
  const transport = url.protocol === 'https:' ? https : http;

  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new NetworkError('aborted', 'The throughput measurement was cancelled.', url));
      return;
    }
    const started = performance.now();
    let firstByteAt: number | undefined;
    let lastByteAt = 0;
    let bytes = 0;
    let firstChunkBytes = 0;
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(firstByteTimer);
      clearTimeout(payloadTimer);
      options.signal?.removeEventListener('abort', onAbort);
      request.destroy();
      if (error) {
        reject(error);
        return;
      }
      const payloadBytes = bytes - firstChunkBytes;
      const payloadMs = firstByteAt === undefined ? 0 : lastByteAt - firstByteAt;
      // The whole measurement in less than the shortest time worth timing: a fast server, not an
      // unknown one. Counted over that shortest time, which understates it (a lower bound).
      const timedMs = payloadMs >= minimumPayload.ms ? payloadMs : bytes >= maxBytes ? minimumPayload.ms : undefined;
      const enough = payloadBytes >= minimumPayload.bytes && timedMs !== undefined;
      resolve({ bytes, payloadBytes, payloadMs, totalMs: performance.now() - started, bytesPerSecond: enough ? (payloadBytes / timedMs) * 1000 : undefined });
    };
    const onAbort = () => finish(new NetworkError('aborted', 'The throughput measurement was cancelled.', url));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let payloadTimer: NodeJS.Timeout | undefined;
    const firstByteTimer = setTimeout(() => finish(new NetworkError('timeout', `${url.host} did not start sending within ${firstByteTimeoutMs / 1000} s.`, url)), firstByteTimeoutMs);

    const request = transport.request(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-git-upload-pack-request',
        Accept: 'application/x-git-upload-pack-result',
        'Content-Length': String(Buffer.byteLength(body)),
        ...authorizationHeaders(options.auth),
      },
      ...(url.protocol === 'https:' ? trustOptions(options.ca) : {}),
    });
    request.on('response', (response) => {
      if (response.statusCode !== 200 || !String(response.headers['content-type'] ?? '').startsWith('application/x-git-upload-pack-result')) {
        response.resume();
        const kind = response.statusCode === 200 ? `${String(response.headers['content-type'] ?? 'no content type')}, not a pack` : `HTTP ${response.statusCode}`;
        finish(new RemoteRefsError('http', `${url.host} answered a pack request with ${kind}.`, { status: response.statusCode }));
        return;
      }
      response.on('data', (chunk: Buffer) => {
        const at = performance.now();
        bytes += chunk.length;
        lastByteAt = at;
        if (firstByteAt === undefined) {
          // "ERR not our ref …": the server lacks the commit, or refused in git's own words.
          if (chunk.subarray(4, 8).toString('latin1') === 'ERR ') {
            const length = Number.parseInt(chunk.subarray(0, 4).toString('latin1'), 16);
            const said = chunk.subarray(8, Number.isFinite(length) ? Math.min(length, 200) : 200).toString('utf8').trim();
            finish(new RemoteRefsError('not-git', `${url.host} refused the pack request: ${said}`));
            return;
          }
          firstByteAt = at;
          firstChunkBytes = chunk.length;
          clearTimeout(firstByteTimer);
          payloadTimer = setTimeout(() => finish(), maxMs);
        }
        if (bytes >= maxBytes) finish();
      });
      response.on('end', () => finish());
      response.on('error', (error) => finish(settled ? undefined : classifyNetworkFailure(error, url)));
    });
    request.on('error', (error) => finish(classifyNetworkFailure(error, url)));
    request.end(body);
  });
}
