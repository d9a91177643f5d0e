/**
 * The primary's refs right now: in-process over HTTP(S) (isomorphic-git, no process to start),
 * or with `git ls-remote` over SSH, which isomorphic-git cannot speak.
 */
import { listRemoteRefs, type RemoteAuth, type RemoteRefs } from '../git/remote-refs';
import { lsRemote } from '../git/ls-remote';
import type { PrimaryCredentials } from '../bitbucket/rest-client';

export function remoteAuthFor(credentials: PrimaryCredentials | undefined): RemoteAuth | undefined {
  if (!credentials) return undefined;
  return credentials.kind === 'token' ? { bearerToken: credentials.token } : { username: credentials.username, password: credentials.password };
}

export async function listPrimaryRefs(options: { url: string; protocol: 'http' | 'ssh'; credentials?: PrimaryCredentials; env: Record<string, string>; signal?: AbortSignal; ca?: string | Buffer }): Promise<RemoteRefs> {
  if (options.protocol === 'http') return listRemoteRefs({ url: options.url, auth: remoteAuthFor(options.credentials), signal: options.signal, ca: options.ca, timeoutMs: 30_000 });
  return lsRemote({ url: options.url, env: options.env, signal: options.signal });
}
