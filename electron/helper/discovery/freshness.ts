/**
 * Is a mirror behind the primary? Compares the refs each one advertises (in-process, over HTTP
 * with isomorphic-git) and names the refs a mirror lacks or has at another commit. Mirrors
 * delegate authentication to the primary, so the primary's credentials go to the primary and to
 * the mirrors it advertised (or the user added), and nowhere else.
 */
import type { PrimaryCredentials } from '../bitbucket/rest-client';
import { compareRefs, listRemoteRefs, type RemoteAuth } from '../git/remote-refs';
import type { Freshness } from './choose';
import type { FreshnessCheck } from './service';

const listingTimeoutMs = 8_000;

function toAuth(credentials: PrimaryCredentials | undefined): RemoteAuth | undefined {
  if (!credentials) return undefined;
  return credentials.kind === 'token' ? { bearerToken: credentials.token } : { username: credentials.username, password: credentials.password };
}

export const checkFreshness: FreshnessCheck = async ({ primary, mirrors, credentials, signal }) => {
  const result = new Map<string, Freshness>();
  const withHttp = mirrors.filter((mirror) => mirror.cloneUrls.http);
  if (!primary.cloneUrls.http || withHttp.length === 0) return result;
  const auth = toAuth(credentials);
  const list = (url: string) => listRemoteRefs({ url, auth, signal, timeoutMs: listingTimeoutMs });

  const [primaryRefs, ...mirrorRefs] = await Promise.allSettled([list(primary.cloneUrls.http), ...withHttp.map((mirror) => list(mirror.cloneUrls.http!))]);
  if (primaryRefs.status !== 'fulfilled') return result; // unknown for all: the probe still ranks them
  withHttp.forEach((mirror, index) => {
    const refs = mirrorRefs[index]!;
    if (refs.status !== 'fulfilled') return;
    const comparison = compareRefs(primaryRefs.value, refs.value);
    result.set(mirror.id, { behind: comparison.behind, refs: [...comparison.missing, ...comparison.stale] });
  });
  return result;
};
