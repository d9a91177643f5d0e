/**
 * How a clone authenticates over HTTP(S): the primary's credentials as an Authorization header
 * for exactly the origins the primary vouches for (itself and the mirrors it advertised or the
 * user added), passed to that one git process through its environment. Never in argv, never in
 * a URL, never in .git/config. Redirects are not followed, so the header cannot travel on to
 * another host.
 */
import { authorizationHeader, type PrimaryCredentials } from '../bitbucket/rest-client';
import { httpOrigins } from '../net/http-origins';


/** Config entries for GIT_CONFIG_COUNT/KEY/VALUE. */
export function httpAuthConfig(credentials: PrimaryCredentials | undefined, vouchedUrls: string[]): [string, string][] {
  const entries: [string, string][] = [['http.followRedirects', 'false']];
  if (!credentials) return entries;
  const header = `Authorization: ${authorizationHeader(credentials)}`;
  // Scoped to the whole server (every path below /); git compares the host exactly.
  for (const origin of httpOrigins(vouchedUrls)) entries.push([`http.${origin}/.extraHeader`, header]);
  return entries;
}
