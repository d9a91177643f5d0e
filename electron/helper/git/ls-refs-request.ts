/**
 * Branches and tags in one request: a stateless protocol-v2 `ls-refs` POST to git-upload-pack,
 * both prefixes at once, tags peeled. The usual way (GET info/refs for the capabilities, then a
 * POST per listing) costs two round trips before the answer; to a primary on the other side of the
 * world, that second round trip is a quarter of a second on every clone.
 *
 * A server that does not answer in protocol v2 this way (an old git, a proxy in between) gets
 * `undefined` back, and the caller lists the usual way. A refusal (401, 403) or a missing
 * repository (404) is an answer, not a reason to ask again.
 *
 * Credentials: a bearer token goes with the request; a user name and password only after the
 * server has asked with a 401, so a server that allows anonymous reads never sees them.
 */
import type http from 'node:http';
import type https from 'node:https';
import { httpRequest, type HttpResponse } from '../net/http-request';
import { NetworkError } from '../net/network-error';
import type { ExtraCa } from '../net/trust';
import type { ListingLimits } from './listing-limits';
import { RemoteRefsError, authorizationHeaders, pktLine, type RemoteAuth, type RemoteRefs } from './smart-http';

export interface LsRefsRequestOptions {
  /** The repository's checked clone URL (no credentials, no trailing slash). */
  url: URL;
  auth?: RemoteAuth;
  signal: AbortSignal;
  timeoutMs: number;
  limits: ListingLimits;
  ca?: ExtraCa;
  agent?: http.Agent | https.Agent;
  /** Called when the answer goes past a limit; the listing is then stopped by the caller. */
  onOverLimit(what: 'bytes' | 'refs'): void;
}

const requestBody = `${pktLine('command=ls-refs\n')}0001${pktLine('peel\n')}${pktLine('ref-prefix refs/heads/\n')}${pktLine('ref-prefix refs/tags/\n')}0000`;

const refLine = /^([0-9a-f]{40}(?:[0-9a-f]{24})?) (refs\/(?:heads|tags)\/\S+)((?: \S+)*)$/;

/**
 * The listing in the answer; 'too-many' past the ref limit; undefined when the answer is not a
 * protocol-v2 ls-refs listing.
 */
export function parseLsRefsAnswer(body: Buffer, limits: ListingLimits): RemoteRefs | 'too-many' | undefined {
  const refs: RemoteRefs = new Map();
  let offset = 0;
  let lines = 0;
  while (offset + 4 <= body.length) {
    const header = body.toString('latin1', offset, offset + 4);
    if (!/^[0-9a-f]{4}$/.test(header)) return undefined;
    const length = Number.parseInt(header, 16);
    if (length === 0) return offset + 4 === body.length ? refs : undefined; // the flush ends the listing
    if (length < 4 || offset + length > body.length) return undefined;
    lines += 1;
    if (lines > limits.maxRefs) return 'too-many';
    const line = body.toString('utf8', offset + 4, offset + length).replace(/\n$/, '');
    offset += length;
    const match = refLine.exec(line);
    if (!match) return undefined;
    const [, oid, name, attributes] = match;
    refs.set(name!, oid!);
    const peeled = attributes!.split(' ').find((attribute) => attribute.startsWith('peeled:'));
    if (peeled) refs.set(`${name}^{}`, peeled.slice('peeled:'.length));
  }
  return undefined; // no flush: cut short
}

/** A bearer token goes at once; a user name and password only in answer to a 401. */
function authorization(auth: RemoteAuth | undefined, afterChallenge: boolean): Record<string, string> {
  return auth && ('bearerToken' in auth || afterChallenge) ? authorizationHeaders(auth) : {};
}

export async function lsRefsInOneRequest(options: LsRefsRequestOptions): Promise<RemoteRefs | undefined> {
  const endpoint = new URL(`${options.url.href}/git-upload-pack`);
  const ask = (afterChallenge: boolean): Promise<HttpResponse> =>
    httpRequest({
      url: endpoint,
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-git-upload-pack-request',
        Accept: 'application/x-git-upload-pack-result',
        'Git-Protocol': 'version=2',
        ...authorization(options.auth, afterChallenge),
      },
      body: requestBody,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      ca: options.ca,
      agent: options.agent,
      maxBodyBytes: options.limits.maxBytes,
    });
  let response: HttpResponse;
  try {
    response = await ask(false);
    if (response.status === 401 && options.auth && 'username' in options.auth) response = await ask(true);
  } catch (error) {
    if (error instanceof NetworkError && error.kind === 'too-large') {
      options.onOverLimit('bytes');
      return undefined;
    }
    throw error;
  }
  const where = options.url.host;
  if (response.status === 401 || response.status === 403) throw new RemoteRefsError('auth', `${where} refused access to the repository (HTTP ${response.status}).`, { status: response.status });
  if (response.status === 404) throw new RemoteRefsError('not-found', `${where} has no repository at that address (HTTP 404).`, { status: 404 });
  if (response.status !== 200 || !String(response.headers['content-type'] ?? '').startsWith('application/x-git-upload-pack-result')) return undefined;
  const listed = parseLsRefsAnswer(response.body, options.limits);
  if (listed !== 'too-many') return listed;
  options.onOverLimit('refs');
  return undefined;
}
