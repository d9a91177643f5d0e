/**
 * How a clone authenticates over HTTP(S): the primary's credentials as an Authorization header
 * for exactly the origins the primary vouches for (itself and the mirrors it advertised or the
 * user added), passed to that one git process through its environment. Never in argv, never in
 * a URL, never in .git/config. Redirects are not followed, so the header cannot travel on to
 * another host.
 */
import { authorizationHeader, type PrimaryCredentials } from '../bitbucket/rest-client';

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? `${parsed.protocol}//${parsed.host}/` : undefined;
  } catch {
    return undefined;
  }
}

/** Config entries for GIT_CONFIG_COUNT/KEY/VALUE. */
export function httpAuthConfig(credentials: PrimaryCredentials | undefined, vouchedUrls: string[]): [string, string][] {
  const entries: [string, string][] = [['http.followRedirects', 'false']];
  if (!credentials) return entries;
  const header = `Authorization: ${authorizationHeader(credentials)}`;
  const origins = [...new Set(vouchedUrls.map(originOf).filter((origin): origin is string => origin !== undefined))];
  for (const origin of origins) entries.push([`http.${origin}.extraHeader`, header]);
  return entries;
}
