/**
 * Is a mirror behind the primary? Compares the refs each one advertises (in-process, over HTTP
 * with isomorphic-git) and names the refs a mirror lacks or has at another commit. Mirrors
 * delegate authentication to the primary, so the primary's credentials go to the primary and to
 * the mirrors it advertised; a mirror added by hand is asked anonymously unless the user allowed
 * it by name (`sendsToken`).
 */
import type { PrimaryCredentials } from '../bitbucket/rest-client';
import { compareRefs, listRemoteRefs, type RemoteAuth } from '../git/remote-refs';
import type { Freshness } from './choose';
import type { FreshnessCheck } from './service';

const listingTimeoutMs = 8_000;

export function toAuth(credentials: PrimaryCredentials | undefined): RemoteAuth | undefined {
  if (!credentials) return undefined;
  return credentials.kind === 'token' ? { bearerToken: credentials.token } : { username: credentials.username, password: credentials.password };
}

/**
 * Starts listing the primary's refs at once (it is the far server: its round trips are the
 * slow part, and they overlap with asking the mirrors and measuring them); mirrors are listed
 * and compared when asked.
 */
export const checkFreshness: FreshnessCheck = ({ primary, credentials, signal, ca }) => {
  const auth = toAuth(credentials);
  const list = (url: string, withToken = true) => listRemoteRefs({ url, auth: withToken ? auth : undefined, signal, ca, timeoutMs: listingTimeoutMs });
  const primaryRefs = primary.cloneUrls.http ? list(primary.cloneUrls.http).then((refs) => ({ refs, listedAt: performance.now() }), () => undefined) : Promise.resolve(undefined);
  return {
    primaryRefs: () => primaryRefs,
    async compare(mirrors) {
      const result = new Map<string, Freshness>();
      const withHttp = mirrors.filter((mirror) => mirror.cloneUrls.http);
      if (withHttp.length === 0) return result;
      const [listed, ...mirrorRefs] = await Promise.all([primaryRefs, ...withHttp.map((mirror) => list(mirror.cloneUrls.http!, mirror.sendsToken).then((refs) => refs, () => undefined))]);
      const reference = listed?.refs;
      if (!reference) return result; // unknown for all: the probe still ranks them
      withHttp.forEach((mirror, index) => {
        const refs = mirrorRefs[index];
        if (!refs) return;
        const comparison = compareRefs(reference, refs);
        result.set(mirror.id, { behind: comparison.behind, refs: [...comparison.missing, ...comparison.stale], mirrorRefs: refs });
      });
      return result;
    },
  };
};
