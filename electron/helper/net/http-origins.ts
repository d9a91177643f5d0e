/**
 * The http(s) origins (`scheme://host[:port]`) of a set of URLs: what credentials, credential
 * helpers and CA bundles are scoped to, so a secret is tied to a server and never to a path.
 */
export function httpOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? `${parsed.protocol}//${parsed.host}` : undefined;
  } catch {
    return undefined;
  }
}

/** Each origin once, in first-seen order; URLs that are not http(s) are left out. */
export function httpOrigins(urls: Iterable<string>): string[] {
  return [...new Set([...urls].map(httpOrigin).filter((origin): origin is string => origin !== undefined))];
}
