/**
 * The pieces of git's smart HTTP protocol that the helper speaks itself, without git: the
 * in-process ref listing (ls-refs-request.ts) and the throughput measurement
 * (transfer/throughput-probe.ts). The answers to its requests, and the error they end in, are
 * shared with the isomorphic-git listing (remote-refs.ts).
 */

/** Credentials for a git server over HTTP: the primary's token, or a user name and password. */
export type RemoteAuth = { username: string; password: string } | { bearerToken: string };

/** refName -> oid; annotated tags also have `refName^{}` -> the peeled oid. */
export type RemoteRefs = Map<string, string>;

export type RemoteRefsFailureKind = 'auth' | 'not-found' | 'redirect' | 'http' | 'not-git' | 'too-large';

/** The server answered, but not with refs. Transport failures are NetworkErrors instead. */
export class RemoteRefsError extends Error {
  readonly kind: RemoteRefsFailureKind;
  readonly status?: number;

  constructor(kind: RemoteRefsFailureKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RemoteRefsError';
    this.kind = kind;
    this.status = options.status;
  }
}

/** A pkt-line: four hex digits of length (its own four included), then the data. */
export const pktLine = (text: string): string => `${(Buffer.byteLength(text) + 4).toString(16).padStart(4, '0')}${text}`;

/** The Authorization header for `auth`; none without credentials. */
export function authorizationHeaders(auth: RemoteAuth | undefined): Record<string, string> {
  if (!auth) return {};
  if ('bearerToken' in auth) return { Authorization: `Bearer ${auth.bearerToken}` };
  return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}
