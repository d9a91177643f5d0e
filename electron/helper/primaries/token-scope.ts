/**
 * Where a primary's credentials may go: the primary's own origin, the mirrors the primary itself
 * advertised, and a mirror added by hand only once the user confirmed its host by name. Every
 * place that attaches a credential (REST client, ref listings, git's environment, our git
 * credential helper, in-process clones) decides through here, so the rule lives in one file.
 */
import type { ManualMirror, StoredPrimary } from '../store/primaries-store';
import { httpOrigin } from '../net/http-origins';

/** The host (with port) of a base address, lower-cased; undefined for an address that does not parse. */
export function hostOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** True when the user confirmed this mirror's current host: consent given for another host does not count. */
export function manualMirrorGetsToken(mirror: ManualMirror): boolean {
  const host = hostOf(mirror.baseUrl);
  return host !== undefined && mirror.tokenAllowed !== undefined && mirror.tokenAllowed.host.toLowerCase() === host;
}

/** The base addresses that may receive this primary's credentials. */
export function tokenBaseUrls(primary: StoredPrimary): string[] {
  return [primary.baseUrl, ...primary.knownMirrors.map((mirror) => mirror.baseUrl), ...primary.manualMirrors.filter(manualMirrorGetsToken).map((mirror) => mirror.baseUrl)];
}

/** The primary whose credentials this origin (`scheme://host[:port]`) may receive, if any. */
export function primaryVouchingFor(origin: string, primaries: StoredPrimary[]): StoredPrimary | undefined {
  return primaries.find((primary) => tokenBaseUrls(primary).some((baseUrl) => httpOrigin(baseUrl) === origin));
}
