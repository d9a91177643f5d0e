/**
 * Turns whatever a user pastes into "which repository on which server": a clone URL of the
 * primary or of a mirror (HTTP or SSH), a browse URL, `KEY/slug`, or `~user/slug`.
 * It does not decide which primary the repository belongs to; the helper matches `origin` or
 * `sshHost` against the primaries (and their mirrors) it knows.
 */

export interface RepositoryReference {
  /** Upper-case project key, or `~user` (lower-case) for a personal repository. */
  projectKey: string;
  slug: string;
  /** Where the reference came from: an HTTP(S) base URL (with any context path), an SSH host, or nothing for KEY/slug. */
  server?: { kind: 'http'; baseUrl: string } | { kind: 'ssh'; host: string; port?: number };
}

export type ParsedReference = { ok: true; reference: RepositoryReference } | { ok: false; reason: string };

const slugPattern = /^[A-Za-z0-9._-]+$/;
const keyPattern = /^(~[A-Za-z0-9._@-]+|[A-Za-z][A-Za-z0-9_]*)$/;

function normaliseKey(key: string): string {
  return key.startsWith('~') ? key.toLowerCase() : key.toUpperCase();
}

function fromKeyAndSlug(key: string | undefined, slug: string | undefined, server?: RepositoryReference['server']): ParsedReference {
  const cleanSlug = slug?.replace(/\.git$/, '');
  if (!key || !cleanSlug || !keyPattern.test(key) || !slugPattern.test(cleanSlug) || cleanSlug.startsWith('-')) {
    return { ok: false, reason: 'it does not name a project and a repository' };
  }
  return { ok: true, reference: { projectKey: normaliseKey(decodeURIComponent(key)), slug: cleanSlug.toLowerCase(), ...(server ? { server } : {}) } };
}

function fromHttpUrl(url: URL): ParsedReference {
  const parts = url.pathname.split('/').filter(Boolean).map((part) => decodeURIComponent(part));
  const base = (index: number) => `${url.protocol}//${url.host}${index > 0 ? `/${parts.slice(0, index).join('/')}` : ''}`;
  // Clone URL: [ctx]/scm/{key}/{slug}.git
  const scm = parts.lastIndexOf('scm');
  if (scm >= 0 && parts.length === scm + 3) return fromKeyAndSlug(parts[scm + 1], parts[scm + 2], { kind: 'http', baseUrl: base(scm) });
  // Browse URL: [ctx]/projects/{KEY}/repos/{slug}[/browse...] or [ctx]/users/{user}/repos/{slug}[/...]
  for (let index = parts.length - 3; index >= 0; index -= 1) {
    if (parts[index + 2] !== 'repos') continue;
    if (parts[index] === 'projects') return fromKeyAndSlug(parts[index + 1], parts[index + 3], { kind: 'http', baseUrl: base(index) });
    if (parts[index] === 'users') return fromKeyAndSlug(`~${parts[index + 1]}`, parts[index + 3], { kind: 'http', baseUrl: base(index) });
  }
  return { ok: false, reason: 'the address is not a Bitbucket clone or repository page address' };
}

export function parseRepositoryReference(raw: string): ParsedReference {
  const input = raw.trim();
  if (!input) return { ok: false, reason: 'it is empty' };
  if (/^https?:\/\//i.test(input)) {
    try {
      return fromHttpUrl(new URL(input));
    } catch {
      return { ok: false, reason: 'it is not a valid address' };
    }
  }
  if (/^ssh:\/\//i.test(input)) {
    try {
      const url = new URL(input);
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts.length !== 2) return { ok: false, reason: 'an SSH clone address has the form ssh://host:port/key/repo.git' };
      return fromKeyAndSlug(parts[0], parts[1], { kind: 'ssh', host: url.hostname, ...(url.port ? { port: Number(url.port) } : {}) });
    } catch {
      return { ok: false, reason: 'it is not a valid address' };
    }
  }
  const scp = /^[^@/\s]+@([^:/\s]+):\/?([^/\s]+)\/([^/\s]+)$/.exec(input);
  if (scp) return fromKeyAndSlug(scp[2], scp[3], { kind: 'ssh', host: scp[1]! });
  const short = /^([^/\s]+)\/([^/\s]+)$/.exec(input);
  if (short) return fromKeyAndSlug(short[1], short[2]);
  return { ok: false, reason: 'expected a clone URL, a repository page URL, KEY/slug or ~user/slug' };
}
