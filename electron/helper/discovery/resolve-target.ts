/**
 * Which primary a pasted reference belongs to. A URL on a connected primary, or on one of its
 * mirrors (advertised or added by hand), finds that primary; an SSH URL is matched by host; a
 * bare KEY/slug needs the primary named (--primary or MIRROR_CLONE_PRIMARY on the command line),
 * unless only one is connected. A URL on a server that
 * is not connected is taken as a primary named by the caller (a CI run with MIRROR_CLONE_TOKEN).
 */
import { ContractError } from '../../../shared/contract';
import { parseRepositoryReference } from '../../../shared/repository-reference';
import { normaliseBaseUrl } from '../bitbucket/rest-client';
import type { PrimariesStore, StoredPrimary } from '../store/primaries-store';

export interface ResolvedTarget {
  baseUrl: string;
  projectKey: string;
  slug: string;
  stored?: StoredPrimary;
  /** The caller named this primary's address itself (not via a mirror or the only-one rule). */
  named: boolean;
}

const hostOf = (baseUrl: string) => new URL(baseUrl).hostname;

/** Marks a failure that only a different request can fix (a command line exits 2 for it, as for any usage mistake). */
const callerMistake = { usage: true };

export function resolveTarget(input: string, primaryParam: string | undefined, store: PrimariesStore): ResolvedTarget {
  const parsed = parseRepositoryReference(input);
  if (!parsed.ok) {
    throw new ContractError('INVALID_PARAMS', `"${input}" is not a repository reference: ${parsed.reason}.`, {
      hint: 'Paste a clone URL or repository page URL, or write PROJECT/repository (~user/repository for a personal one).',
      terminalHint: 'Pass a clone URL or repository page URL, or PROJECT/repo (~user/repo for a personal one) with --primary URL.',
      details: callerMistake,
    });
  }
  const { projectKey, slug, server } = parsed.reference;
  const primaries = store.list();
  const target = (baseUrl: string, named: boolean): ResolvedTarget => ({ baseUrl, projectKey, slug, named, stored: store.get(baseUrl) });

  if (primaryParam) return target(normaliseBaseUrl(primaryParam), true);

  if (server?.kind === 'http') {
    const baseUrl = normaliseBaseUrl(server.baseUrl);
    if (store.get(baseUrl)) return target(baseUrl, true);
    const owner = primaries.find((primary) => [...primary.knownMirrors, ...primary.manualMirrors].some((mirror) => normaliseBaseUrl(mirror.baseUrl) === baseUrl));
    return owner ? target(owner.baseUrl, false) : target(baseUrl, true);
  }

  if (server?.kind === 'ssh') {
    const owner = primaries.find(
      (primary) =>
        (primary.ssh?.host === server.host && (server.port === undefined || primary.ssh.port === undefined || primary.ssh.port === server.port)) ||
        primary.knownMirrors.some((mirror) => (mirror.sshHost ?? hostOf(mirror.baseUrl)) === server.host) ||
        primary.manualMirrors.some((mirror) => hostOf(mirror.baseUrl) === server.host),
    );
    if (owner) return target(owner.baseUrl, false);
    throw new ContractError('NOT_FOUND', `No connected primary serves SSH at ${server.host}.`, {
      hint: 'Connect its primary first (Repositories, Connect a primary), or paste the repository\'s HTTPS URL.',
      terminalHint: 'Connect the primary first (mirror-clone login URL), or pass --primary URL (or set MIRROR_CLONE_PRIMARY).',
    });
  }

  if (primaries.length === 1) return target(primaries[0]!.baseUrl, false);
  if (primaries.length === 0) {
    throw new ContractError('NOT_FOUND', `No primary is connected, so ${projectKey}/${slug} cannot be looked up.`, {
      hint: 'Connect a primary first, or paste the repository\'s full URL.',
      terminalHint: 'Pass --primary URL (or set MIRROR_CLONE_PRIMARY; MIRROR_CLONE_TOKEN then signs in), give the repository\'s full URL, or connect one with mirror-clone login URL.',
      details: callerMistake,
    });
  }
  throw new ContractError('INVALID_PARAMS', `Several primaries are connected; ${projectKey}/${slug} could be on any of them.`, {
    hint: 'Paste the repository\'s full URL: it names its primary.',
    terminalHint: 'Pass --primary URL (or set MIRROR_CLONE_PRIMARY), or give the repository\'s full URL.',
    details: callerMistake,
  });
}
