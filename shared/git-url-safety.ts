/**
 * The gate every clone URL passes before it can reach git (DESIGN.md, git rules). URLs come from
 * servers and from users; git treats some forms as commands (`ext::`), some as local paths
 * (`file://`, `/path`), and a host or path starting with '-' as an option to ssh. Only
 * https, http (flagged as insecure), ssh and scp-like `user@host:path` pass.
 *
 * For ssh, git hands the user and host to the ssh program, and a ProxyCommand or a wrapper
 * script in the user's setup may put them through a shell. OpenSSH refuses shell metacharacters
 * in a host name itself, but that should not be the only guard: here an ssh user and host may
 * hold only what real ones do (letters, digits, '.', '-', '_', a bracketed IPv6 address), checked
 * after percent-decoding, since git decodes ssh URLs before it uses them.
 */

export type CloneProtocol = 'http' | 'ssh';

export type CheckedCloneUrl =
  | {
      ok: true;
      /** The URL to give git; for http(s), without any user@ part. */
      url: string;
      protocol: CloneProtocol;
      /** Plain http: allowed (internal servers, local tests) but always shown as insecure. */
      insecure: boolean;
      host: string;
      /** The host name alone, without a port. */
      hostname: string;
      /** The repository path on the server, starting with '/'. */
      path: string;
    }
  | { ok: false; reason: string };

// Control characters, spaces and quotes never belong in a clone URL; a newline could smuggle a
// second line into git's credential protocol.
// eslint-disable-next-line no-control-regex
const forbiddenCharacters = /[\u0000-\u0020\u007f"'`\\]/;
// scp-like `user@host:path`. The user part is required: without it almost any "word:thing"
// (javascript:..., c:...) would read as a host.
// The host may be a bracketed IPv6 address, whose colons would otherwise end it.
const scpLike = /^([^@/:]+)@(\[[^\]/]*\]|[^/:[\]]+):(?!\/\/)(.+)$/;

const sshHostName = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/;
// Hex digits, colons, dots (an embedded IPv4 address), and a zone after '%' (fe80::1%eth0).
const sshIpv6Literal = /^\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9._-]+)?\]$/;
const sshUserName = /^[A-Za-z0-9._+-]+$/;

function decodeOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The user and host of an ssh address, as git will pass them on (percent-decoded). */
function checkSshParts(user: string, host: string): string | undefined {
  const decodedHost = decodeOrUndefined(host);
  if (decodedHost === undefined || !(sshHostName.test(decodedHost) || sshIpv6Literal.test(decodedHost))) {
    return 'its ssh host has characters no host name has (a shell could act on them)';
  }
  const decodedUser = decodeOrUndefined(user);
  if (user && (decodedUser === undefined || !sshUserName.test(decodedUser))) {
    return 'its ssh user name has characters other than letters, digits, ".", "_", "+" and "-" (a shell could act on them)';
  }
  return undefined;
}

function checkHostAndPath(host: string, path: string): string | undefined {
  if (!host) return 'it has no host';
  if (host.startsWith('-')) return 'its host starts with "-", which git would pass to ssh as an option';
  if (path.replace(/^\/+/, '').startsWith('-')) return 'its path starts with "-", which git could read as an option';
  if (path.split('/').includes('..')) return 'its path climbs out with ".."';
  return undefined;
}

export function checkCloneUrl(raw: string): CheckedCloneUrl {
  const input = raw.trim();
  if (!input) return { ok: false, reason: 'it is empty' };
  // Outside an IPv6 address in brackets, '::' is git's `<transport>::<address>` form.
  if (input.replace(/\[[^\]]*\]/g, '').includes('::')) return { ok: false, reason: 'it uses a git remote helper ("::"), which can run commands' };
  if (forbiddenCharacters.test(input)) return { ok: false, reason: 'it contains spaces, quotes or control characters' };
  // URL parsing would quietly resolve "..", hiding that a server sent a path that climbs out.
  if (/(^|[/:])\.\.($|[/?#])/.test(input) || /%2e%2e/i.test(input)) return { ok: false, reason: 'its path climbs out with ".."' };

  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(input)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    const scp = scpLike.exec(input);
    if (!scp || input.startsWith('/') || input.startsWith('.')) return { ok: false, reason: 'it is not an https, http or ssh address' };
    const [, user, host = '', path = ''] = scp;
    const problem = checkHostAndPath(host, path) ?? (user!.startsWith('-') ? 'its user name starts with "-"' : undefined) ?? checkSshParts(user!, host);
    if (problem) return { ok: false, reason: problem };
    return { ok: true, url: input, protocol: 'ssh', insecure: false, host, hostname: host, path: `/${path.replace(/^\/+/, '')}` };
  }

  if (scheme !== 'https' && scheme !== 'http' && scheme !== 'ssh') {
    return { ok: false, reason: `the ${scheme}:// protocol is not allowed (only https, http and ssh)` };
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'it is not a valid address' };
  }
  const path = decodeURIComponent(url.pathname);
  const problem = checkHostAndPath(url.hostname, path) ?? (url.username.startsWith('-') ? 'its user name starts with "-"' : undefined);
  if (problem) return { ok: false, reason: problem };
  if (scheme === 'ssh') {
    if (url.password) return { ok: false, reason: 'it carries a password' };
    const sshProblem = checkSshParts(url.username, url.hostname);
    if (sshProblem) return { ok: false, reason: sshProblem };
    return { ok: true, url: url.href, protocol: 'ssh', insecure: false, host: url.host, hostname: url.hostname, path };
  }
  url.username = '';
  url.password = '';
  return { ok: true, url: url.href, protocol: 'http', insecure: scheme === 'http', host: url.host, hostname: url.hostname, path };
}
