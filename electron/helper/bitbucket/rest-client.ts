/**
 * A small client for one Bitbucket Data Center server's REST API. Credentials are attached only
 * to requests for this server's own origin and base path, redirects are never followed, 429 is
 * retried after Retry-After, and every answer is checked against a schema.
 */
import type { z } from 'zod';
import { ContractError } from '../../../shared/contract';
import { httpRequest, type HttpRequestOptions, type HttpResponse } from '../net/http-request';
import { errorFromNetworkFailure, errorFromResponse, readJsonAnswer } from './http-failure';
import { pageOf } from './schemas';
import type { ConnectionPool } from '../net/connection-pool';
import { abortableSleep } from '../net/abortable-sleep';

export type PrimaryCredentials = { kind: 'token'; token: string } | { kind: 'password'; username: string; password: string };

export interface BitbucketClientOptions {
  baseUrl: string;
  credentials?: PrimaryCredentials;
  ca?: string | Buffer;
  /** Kept-alive connections owned by the helper; without one, every request opens a connection. */
  pool?: ConnectionPool;
  request?: (options: HttpRequestOptions) => Promise<HttpResponse>;
  timeoutMs?: number;
  maxRateLimitRetries?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RequestOptions {
  signal?: AbortSignal;
  query?: Record<string, string | number | undefined>;
  /** Default true. /status and application-properties need none, and must not get a token. */
  authenticated?: boolean;
}

export interface BitbucketClient {
  readonly baseUrl: string;
  getJson<T extends z.ZodType>(path: string, schema: T, options?: RequestOptions): Promise<z.output<T>>;
  /**
   * Every page, following nextPageStart. Up to `maxItems` values (default 10,000: the rest are
   * left out). A server that pages without end is stopped with a message naming it: after
   * `maxPages` pages (default 200), or as soon as nextPageStart does not move forward.
   */
  getAllPages<T extends z.ZodType>(path: string, valueSchema: T, options?: RequestOptions & { pageSize?: number; maxItems?: number; maxPages?: number }): Promise<z.output<T>[]>;
  /** A raw request (any status comes back): for writes, and when a caller needs headers. */
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options?: RequestOptions & { body?: unknown }): Promise<HttpResponse>;
  /** Turns a response the caller did not expect into the usual typed error. */
  failure(response: HttpResponse, options?: RequestOptions): ContractError;
}

/** Trims a trailing slash so paths can be appended; keeps any context path (/bitbucket). */
export function normaliseBaseUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new ContractError('INVALID_PARAMS', `"${input}" is not a URL.`, { hint: 'Enter the address you open Bitbucket with, e.g. https://bitbucket.example.com' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ContractError('INVALID_PARAMS', `"${input}" is not an http or https address.`);
  }
  if (url.username || url.password) {
    throw new ContractError('INVALID_PARAMS', 'Put credentials in the token field, not in the address.');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function authorizationHeader(credentials: PrimaryCredentials): string {
  if (credentials.kind === 'token') return `Bearer ${credentials.token}`;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

const defaultSleep = (ms: number, signal?: AbortSignal) => abortableSleep(ms, signal);

function retryAfterMs(response: HttpResponse): number {
  const header = Number(response.headers['retry-after']);
  // Bitbucket sends seconds; a missing or odd value means the documented default of 5 s.
  return (Number.isFinite(header) && header >= 0 ? Math.min(header, 60) : 5) * 1000;
}

export function createBitbucketClient(options: BitbucketClientOptions): BitbucketClient {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const serverName = new URL(baseUrl).host;
  const request = options.request ?? httpRequest;
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxRateLimitRetries ?? 3;

  const urlFor = (path: string, query: RequestOptions['query'] = {}) => {
    const url = new URL(`${baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    return url;
  };

  const perform = async (method: string, path: string, requestOptions: RequestOptions, body?: unknown): Promise<HttpResponse> => {
    const url = urlFor(path, requestOptions.query);
    const headers: Record<string, string> = {};
    if (requestOptions.authenticated !== false && options.credentials) headers.Authorization = authorizationHeader(options.credentials);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    for (let attempt = 0; ; attempt += 1) {
      let response: HttpResponse;
      try {
        response = await request({
          url,
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: requestOptions.signal,
          timeoutMs: options.timeoutMs,
          ca: options.ca,
          agent: options.pool?.agentFor(url),
        });
      } catch (error) {
        throw errorFromNetworkFailure(error, serverName);
      }
      if (response.status !== 429) return response;
      if (attempt >= maxRetries) {
        throw new ContractError('RATE_LIMITED', `${serverName} is rate limiting this account.`, { hint: `Wait ${Math.ceil(retryAfterMs(response) / 1000)} s and try again.` });
      }
      await sleep(retryAfterMs(response), requestOptions.signal);
    }
  };

  const getJson = async <T extends z.ZodType>(path: string, schema: T, requestOptions: RequestOptions = {}): Promise<z.output<T>> => {
    const response = await perform('GET', path, requestOptions);
    const sentCredentials = requestOptions.authenticated !== false && options.credentials !== undefined;
    if (response.status !== 200) throw errorFromResponse(response, serverName, { sentCredentials });
    return readJsonAnswer(response, serverName, path, schema);
  };

  return {
    baseUrl,
    getJson,
    async getAllPages(path, valueSchema, pageOptions = {}) {
      const schema = pageOf(valueSchema);
      const values: z.output<typeof valueSchema>[] = [];
      const maxItems = pageOptions.maxItems ?? 10_000;
      const maxPages = pageOptions.maxPages ?? 200;
      const { maxItems: _items, maxPages: _pages, pageSize: _size, ...requestOptions } = pageOptions;
      const endless = (what: string) =>
        new ContractError('NOT_BITBUCKET', `${serverName} ${what} when asked for ${path}; the listing was stopped.`, {
          hint: `Try again later; if it persists, tell the administrators of ${serverName} that its paged answers do not end.`,
          details: { host: serverName, path },
        });
      let start = 0;
      for (let pages = 1; ; pages += 1) {
        const page = await getJson(path, schema, { ...requestOptions, query: { ...pageOptions.query, start, limit: pageOptions.pageSize ?? 100 } });
        values.push(...page.values.slice(0, maxItems - values.length));
        // Follow nextPageStart as given: starts need not be contiguous.
        if (page.isLastPage || page.nextPageStart === undefined || values.length >= maxItems) return values;
        // The same page again, or one further back, would repeat for ever.
        if (page.nextPageStart <= start) throw endless(`sent a paging cursor that does not advance (nextPageStart ${page.nextPageStart} after start ${start})`);
        if (pages >= maxPages) throw endless(`kept sending pages (${pages} pages, ${values.length} items) without a last one`);
        start = page.nextPageStart;
      }
    },
    async request(method, path, requestOptions = {}) {
      return perform(method, path, requestOptions, requestOptions.body);
    },
    failure(response, requestOptions = {}) {
      return errorFromResponse(response, serverName, { sentCredentials: requestOptions.authenticated !== false && options.credentials !== undefined });
    },
  };
}
