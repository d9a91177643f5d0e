/**
 * One HTTP(S) request, the way the helper needs it: cancellable, with a deadline, a size limit on
 * the answer, an optional extra trusted CA, and NO automatic redirects (a token must never follow
 * a redirect to another host; callers decide what a 3xx means). Failures become NetworkErrors
 * that say which kind of failure it was, so messages can tell a user what to do.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { NetworkError, classifyNetworkFailure } from './network-error';
import { trustOptions, type ExtraCa } from './trust';

export interface HttpRequestOptions {
  url: URL | string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** Whole-request deadline, from start to the last byte of the body. */
  timeoutMs?: number;
  /** A keep-alive agent to reuse connections (probes measure on a warm connection). */
  agent?: http.Agent | https.Agent;
  /** Extra CA certificates (PEM) trusted in addition to Node's default ones. Verification is never turned off. */
  ca?: ExtraCa;
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  /** Milliseconds until the TCP connection was up, when this request opened a new one. */
  connectMs?: number;
}

const defaultTimeoutMs = 15_000;
const defaultMaxBodyBytes = 16 * 1024 * 1024;

export function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  const url = typeof options.url === 'string' ? new URL(options.url) : options.url;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new NetworkError('bad-url', `Only http and https addresses can be requested, not ${url.protocol}`, url));
  }
  const transport = url.protocol === 'https:' ? https : http;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;

  return new Promise<HttpResponse>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new NetworkError('aborted', 'The request was cancelled.', url));
      return;
    }
    const started = performance.now();
    let connectMs: number | undefined;
    let settled = false;
    const finish = (error: Error | undefined, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response!);
    };

    const request = transport.request(url, {
      method: options.method ?? 'GET',
      headers: { 'User-Agent': 'mirror-clone', Accept: 'application/json', ...options.headers },
      agent: options.agent,
      // Both `ca` and `secureContext` (see trust.ts): a pooled socket must never outlive its trust.
      ...(url.protocol === 'https:' ? trustOptions(options.ca) : undefined),
    });

    const timer = setTimeout(() => {
      request.destroy(new NetworkError('timeout', `No answer within ${Math.round(timeoutMs / 1000)} s.`, url));
    }, timeoutMs);
    const onAbort = () => request.destroy(new NetworkError('aborted', 'The request was cancelled.', url));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('socket', (socket: Socket) => {
      // A reused keep-alive socket is already connected: no connect time to record.
      if (!socket.connecting) return;
      socket.once('connect', () => {
        connectMs = performance.now() - started;
      });
    });

    request.on('error', (error) => finish(error instanceof NetworkError ? error : classifyNetworkFailure(error, url)));

    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          // Destroyed at once, so a body that never ends holds at most maxBodyBytes in memory.
          request.destroy(new NetworkError('too-large', `The answer from ${url.host} is larger than ${maxBodyBytes >= 1024 ** 2 ? `${Math.round(maxBodyBytes / 1024 ** 2)} MiB` : `${maxBodyBytes} bytes`}; it was stopped.`, url));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => finish(classifyNetworkFailure(error, url)));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        finish(undefined, { status: response.statusCode ?? 0, headers: response.headers, body, text: () => body.toString('utf8'), connectMs });
      });
    });

    request.end(options.body);
  });
}
