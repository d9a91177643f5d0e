/**
 * `mirror-clone://` links, as a Bitbucket page or a team lead's message would carry them:
 *   mirror-clone://clone?url=<a repository's clone or page URL>   opens the clone panel for it
 *   mirror-clone://team?url=<the https URL of a team file>          opens the team file's summary
 * A link never starts anything by itself (the app shows what it would do and waits for a click),
 * and anyone can write one, so everything in it is checked here, once, before the app acts: only
 * http(s) and ssh repository addresses, a team file only over https, nothing else in the link.
 * A link to a git command (`ext::`), a local path (`file://`), an option disguised as a host or a
 * script (`javascript:`) is refused, and the reason says why.
 */
import { checkCloneUrl } from './git-url-safety';
import { parseRepositoryReference } from './repository-reference';

export type AppLink = { action: 'clone'; url: string } | { action: 'team'; url: string };

export type ParsedAppLink = { ok: true; link: AppLink } | { ok: false; reason: string };

/** Far longer than any real repository or team file address. */
export const maxAppLinkLength = 2_048;

const refuse = (reason: string): ParsedAppLink => ({ ok: false, reason });

/** A repository address a link may name: a clone URL git may be given, that names a repository. */
function repositoryUrl(value: string): ParsedAppLink {
  const checked = checkCloneUrl(value);
  if (!checked.ok) return refuse(`the repository address is refused: ${checked.reason}`);
  const reference = parseRepositoryReference(value);
  if (!reference.ok) return refuse(`the repository address is refused: ${reference.reason}`);
  return { ok: true, link: { action: 'clone', url: checked.url } };
}

function teamFileUrl(value: string): ParsedAppLink {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('the team file address is not a valid address');
  }
  if (url.protocol !== 'https:') return refuse(`a team file is opened only over https, not ${url.protocol}`);
  if (url.username || url.password) return refuse('the team file address must not carry a user name or password');
  return { ok: true, link: { action: 'team', url: url.href } };
}

export function parseAppLink(raw: string): ParsedAppLink {
  if (typeof raw !== 'string') return refuse('it is not a link');
  if (raw.length > maxAppLinkLength) return refuse(`it is longer than ${maxAppLinkLength} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) return refuse('it holds spaces or control characters');
  let link: URL;
  try {
    link = new URL(raw);
  } catch {
    return refuse('it is not a valid link');
  }
  if (link.protocol !== 'mirror-clone:') return refuse(`it is not a mirror-clone link (${link.protocol})`);
  const action = link.host;
  if (action !== 'clone' && action !== 'team') return refuse(`mirror-clone links open "clone" or "team", not "${action}"`);
  if (link.pathname !== '' && link.pathname !== '/') return refuse('the link has a path where none belongs');
  if (link.username || link.password || link.port || link.hash) return refuse('the link carries parts a mirror-clone link never has');
  const names = [...link.searchParams.keys()];
  if (names.length !== 1 || names[0] !== 'url') return refuse('the link must carry exactly one url=… and nothing else');
  const value = link.searchParams.get('url') ?? '';
  if (value === '') return refuse('the link names no address');
  return action === 'clone' ? repositoryUrl(value) : teamFileUrl(value);
}
