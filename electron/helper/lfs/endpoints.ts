/**
 * Where git-lfs finds a Bitbucket repository's LFS API: `{HTTP(S) clone URL}/info/lfs`, the same
 * rule git-lfs applies to an HTTP remote; written out for SSH clones (whose LFS still goes over
 * HTTPS) and for the primary as the push endpoint.
 */
export function lfsEndpoint(httpCloneUrl: string): string {
  const url = new URL(httpCloneUrl);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  const base = url.toString().replace(/\/+$/, '');
  return `${base.endsWith('.git') ? base : `${base}.git`}/info/lfs`;
}
