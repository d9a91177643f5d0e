/**
 * `git -C <repository> fetch --progress [--prune] -- <remote> [<refspec>...]`.
 *
 * `remote` is a configured remote's name or a URL; a URL goes through the same gate as a clone
 * URL (shared/git-url-safety.ts). A name is checked to be a plain name: anything with a slash is
 * treated as a URL and refused unless it is one, so a local path cannot slip in as a "remote".
 * (GIT_ALLOW_PROTOCOL also stops a configured remote whose URL someone changed to file:// or ext::.)
 */
import {
  looksLikeUrl,
  requireAbsolutePath,
  requirePositiveInteger,
  requireRefspec,
  requireRemoteName,
  requireSafeUrl,
  requireString,
  invalid,
  type GitCommandOptions,
} from './arguments';
import type { GitProgress } from './progress';
import { runWithProgress } from './run-with-progress';

export interface FetchOptions extends GitCommandOptions {
  /** A working directory or a bare repository (absolute). */
  repository: string;
  /** A remote name ('origin') or a URL. */
  remote: string;
  refspecs?: string[];
  signal?: AbortSignal;
  /** --prune: drop remote-tracking refs the remote no longer has. */
  prune?: boolean;
  /** --depth for a shallow repository. */
  depth?: number;
  /** false: --no-tags. Default: git's own (tags that point into what is fetched). */
  tags?: boolean;
  onProgress?(progress: GitProgress): void;
}

/** The argument list for `git fetch`; exported for tests. */
export function fetchArguments(options: FetchOptions): string[] {
  const repository = requireAbsolutePath('repository', options.repository);
  const remote = requireString('remote', options.remote);
  const target = looksLikeUrl(remote) ? requireSafeUrl(remote).url : requireRemoteName(remote);
  if (options.refspecs !== undefined && !Array.isArray(options.refspecs)) throw invalid('refspecs must be an array');
  const refspecs = (options.refspecs ?? []).map(requireRefspec);
  const args = ['-C', repository, 'fetch', '--progress'];
  if (options.prune) args.push('--prune');
  if (options.depth !== undefined) args.push(`--depth=${requirePositiveInteger('depth', options.depth)}`);
  if (options.tags === false) args.push('--no-tags');
  args.push('--', target, ...refspecs);
  return args;
}

export async function fetchRemote(options: FetchOptions): Promise<void> {
  if (typeof options !== 'object' || options === null) throw invalid('fetchRemote needs an options object');
  const args = fetchArguments(options);
  await runWithProgress(args, options);
}
