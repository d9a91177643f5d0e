/**
 * The git-level freshness check, in-process: which branches and tags a server advertises, and
 * how a mirror's refs differ from the primary's.
 *
 * listRemoteRefs asks for refs/heads/ and refs/tags/ only, so a Bitbucket server's many
 * refs/pull-requests/* never travel: in one protocol-v2 request when the server answers it
 * (ls-refs-request.ts), otherwise with isomorphic-git's listServerRefs (ls-refs), one listing
 * per prefix in parallel. The map it returns reads like `git ls-remote --heads --tags`:
 * refName -> oid, and for an annotated tag also `refName^{}` -> the commit it points to.
 *
 * Cancelling: listServerRefs itself takes no AbortSignal. We hand our signal to every HTTP
 * request through a wrapped http client (isomorphic-git's node client passes it on to Node), and
 * we also race the whole call against the signal and the deadline. So we return promptly either
 * way; with a caller-supplied `http` that ignores the signal, the request may still finish in
 * the background, its result thrown away.
 *
 * Credentials: Basic through onAuth (sent only after the server asks with a 401, so a mirror
 * that allows anonymous reads never sees them), Bearer as a header. Never in the URL: a URL
 * with a password is refused, a user name alone (Bitbucket puts one in clone links) is dropped.
 * Redirects are not followed, so credentials cannot travel to another origin.
 *
 * Bounds: a server that talks without end (an endless ref advertisement) must not fill the
 * helper's memory. isomorphic-git reads the answer as a stream of pkt-lines; every response body
 * passes through a counter on its way in (listing-limits.ts), and the listing is stopped, with a
 * message naming the server, at the overall deadline, past `maxBytes` or past `maxRefs` lines.
 */
import https from 'node:https';
import { trustOptions } from '../net/trust';
import { listServerRefs, type HttpClient, type ServerRef } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { NetworkError, classifyNetworkFailure } from '../net/network-error';
import { countedBody, defaultListingLimits, type ListingLimits } from './listing-limits';
import { lsRefsInOneRequest } from './ls-refs-request';
import { RemoteRefsError, authorizationHeaders, type RemoteAuth, type RemoteRefs } from './smart-http';

export { RemoteRefsError, type RemoteAuth, type RemoteRefs, type RemoteRefsFailureKind } from './smart-http';


export interface ListRemoteRefsOptions {
  /** The repository's HTTP(S) clone URL, e.g. https://host/scm/proj/repo.git */
  url: string;
  auth?: RemoteAuth;
  signal?: AbortSignal;
  /** For the whole listing. Default 15 s. */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM) for HTTPS; ignored when `http` is given. */
  ca?: string | Buffer | (string | Buffer)[];
  /** isomorphic-git http client; default its Node client. Tests may pass another. */
  http?: HttpClient;
  /** Bytes and refs (pkt-lines) one listing may receive; defaults in listing-limits.ts. */
  limits?: Partial<ListingLimits>;
}

const defaultTimeoutMs = 15_000;
const listedPrefixes = ['refs/heads/', 'refs/tags/'];

/** The URL to hand to isomorphic-git, or a 'bad-url' NetworkError. */
export function checkedRemoteUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NetworkError('bad-url', 'That is not a valid repository address.', new URL('invalid:'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NetworkError('bad-url', `Refs can only be listed over http or https, not ${url.protocol}`, url);
  }
  if (url.password) {
    url.username = '';
    url.password = '';
    throw new NetworkError('bad-url', 'Credentials must not be part of the repository address; pass them as auth.', url);
  }
  if (url.search || url.hash) throw new NetworkError('bad-url', 'A repository address has no query or fragment.', url);
  url.username = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/**
 * Passes our signal to every request, turns redirects off, adds an agent for an extra CA, and
 * counts every response body against the listing's limits (`overLimit` stops the listing).
 */
function guardedHttp(base: HttpClient, signal: AbortSignal, agent: https.Agent | undefined, counting: Parameters<typeof countedBody>[2]): HttpClient {
  return {
    request: async (request) => {
      const response = await base.request({
        ...request,
        signal,
        ...(agent ? { agent } : {}),
        fetchOptions: { ...request.fetchOptions, followRedirects: false },
      });
      return response.body ? { ...response, body: countedBody(response.body, signal, counting) } : response;
    },
  };
}

function failureOf(error: unknown, url: URL): Error {
  if (error instanceof NetworkError || error instanceof RemoteRefsError) return error;
  const gitError = error as { code?: string; data?: { statusCode?: number } };
  const where = url.host;
  if (gitError.code === 'HttpError') {
    const status = gitError.data?.statusCode ?? 0;
    if (status === 401 || status === 403) return new RemoteRefsError('auth', `${where} refused access to the repository (HTTP ${status}).`, { status, cause: error });
    if (status === 404) return new RemoteRefsError('not-found', `${where} has no repository at that address (HTTP 404).`, { status, cause: error });
    if (status >= 300 && status < 400) return new RemoteRefsError('redirect', `${where} answered with a redirect (HTTP ${status}); it was not followed.`, { status, cause: error });
    return new RemoteRefsError('http', `${where} answered HTTP ${status} when asked for refs.`, { status, cause: error });
  }
  if (gitError.code === 'SmartHttpError') return new RemoteRefsError('not-git', `${where} did not answer like a git server.`, { cause: error });
  return classifyNetworkFailure(error, url);
}

function addListing(refs: RemoteRefs, listing: ServerRef[]): void {
  for (const ref of listing) {
    refs.set(ref.ref, ref.oid);
    if (ref.peeled) refs.set(`${ref.ref}^{}`, ref.peeled);
  }
}

export async function listRemoteRefs(options: ListRemoteRefsOptions): Promise<RemoteRefs> {
  const url = checkedRemoteUrl(options.url);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (options.signal?.aborted) throw new NetworkError('aborted', 'Listing refs was cancelled.', url);

  const stop = new AbortController();
  const stopped = new Promise<never>((_, reject) => {
    stop.signal.addEventListener('abort', () => reject(stop.signal.reason), { once: true });
  });
  stopped.catch(() => {}); // settled on purpose in `finally` below, when nobody waits for it any more
  const timer = setTimeout(
    () => stop.abort(new NetworkError('timeout', `${url.host} did not list its refs within ${Math.max(1, Math.round(timeoutMs / 1000))} s; the listing was stopped. Check your network or VPN; if it persists, tell the administrators of ${url.host}.`, url)),
    timeoutMs,
  );
  const onCallerAbort = () => stop.abort(new NetworkError('aborted', 'Listing refs was cancelled.', url));
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  // trustOptions: the extra CA in addition to Node's defaults (a bare `ca` would replace them).
  const trust = options.http || url.protocol !== 'https:' ? undefined : trustOptions(options.ca);
  const agent = trust ? new https.Agent({ ...trust }) : undefined;
  const limits = { ...defaultListingLimits, ...options.limits };
  // One budget for the whole listing (both prefixes, every request): that is what memory holds.
  const onOverLimit = (what: 'bytes' | 'refs') => {
    const message =
      what === 'bytes'
        ? `${url.host} sent more than ${Math.round(limits.maxBytes / 1024 ** 2)} MiB when asked for its branches and tags; the listing was stopped.`
        : `${url.host} sent more than ${limits.maxRefs} refs when asked for its branches and tags; the listing was stopped.`;
    stop.abort(new RemoteRefsError('too-large', `${message} A repository's ref list is far smaller: tell the administrators of ${url.host} that it answers without end.`));
  };
  const http = guardedHttp(options.http ?? nodeHttp, stop.signal, agent, { limits, onOverLimit });
  const auth = options.auth;
  const listing = (prefix: string) =>
    listServerRefs({
      http,
      url: url.href,
      protocolVersion: 2,
      prefix,
      peelTags: true,
      // A fresh object per call: isomorphic-git adds its own headers to the one it is given.
      headers: auth && 'bearerToken' in auth ? authorizationHeaders(auth) : {},
      onAuth: auth && 'username' in auth ? () => ({ username: auth.username, password: auth.password }) : undefined,
    });

  const work = (async () => {
    // One request when the server answers it (ls-refs-request.ts); otherwise the usual way.
    if (!options.http) {
      // Its own deadline a little later than the listing's, whose message names the server.
      const listed = await lsRefsInOneRequest({ url, auth, signal: stop.signal, timeoutMs: timeoutMs + 1_000, limits, ca: options.ca, onOverLimit });
      if (listed) return listed;
    }
    const refs: RemoteRefs = new Map();
    for (const found of await Promise.all(listedPrefixes.map(listing))) addListing(refs, found);
    return refs;
  })();
  work.catch(() => {}); // when the race below is lost, a late failure is of no interest
  try {
    const refs = await Promise.race([work, stopped]);
    // isomorphic-git's reader ends quietly on a body that throws: a stopped listing is never a short one.
    if (stop.signal.aborted) throw stop.signal.reason;
    return refs;
  } catch (error) {
    throw failureOf(error, url);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
    // Ends whatever is still in flight, e.g. the other listing when one failed.
    stop.abort(new NetworkError('aborted', 'Listing refs ended.', url));
    agent?.destroy();
  }
}

export interface RefComparison {
  /** True when the mirror lacks a ref of the primary or has one at another commit. */
  behind: boolean;
  /** On the primary, not on the mirror. */
  missing: string[];
  /** On both, at different oids. */
  stale: string[];
  /** On the mirror, not on the primary (deleted on the primary, not yet on the mirror). */
  extra: string[];
}

/**
 * How the mirror's refs differ from the primary's, each list sorted. `^{}` entries are left out:
 * they follow from their tag, so a changed tag is reported once.
 */
export function compareRefs(primary: ReadonlyMap<string, string>, mirror: ReadonlyMap<string, string>): RefComparison {
  const isPeeled = (name: string) => name.endsWith('^{}');
  const missing: string[] = [];
  const stale: string[] = [];
  const extra: string[] = [];
  for (const [name, oid] of primary) {
    if (isPeeled(name)) continue;
    const mirrored = mirror.get(name);
    if (mirrored === undefined) missing.push(name);
    else if (mirrored !== oid) stale.push(name);
  }
  for (const name of mirror.keys()) if (!isPeeled(name) && !primary.has(name)) extra.push(name);
  const sorted = (names: string[]) => names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { behind: missing.length > 0 || stale.length > 0, missing: sorted(missing), stale: sorted(stale), extra: sorted(extra) };
}
