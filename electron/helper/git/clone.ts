/**
 * `git clone --progress [options] -- <url> <directory>` with git's progress as GitProgress data.
 *
 * The URL passes shared/git-url-safety.ts first (only https, http and ssh; no `ext::`, no local
 * paths, no option-like host or path) and git gets the checked form, which for http(s) has no
 * user info. The directory must be absolute and must not hold anything: the clone service clones
 * into a fresh temporary sibling and renames it into place when complete, and on failure or
 * cancel removes it; runGit resolves a cancel only after git's whole process tree is gone.
 */
import { readdir } from 'node:fs/promises';
import {
  requireAbsolutePath,
  requirePositiveInteger,
  requireRefName,
  requireSafeUrl,
  invalid,
  type GitCommandOptions,
} from './arguments';
import { GitError } from './errors';
import type { GitProgress } from './progress';
import { runWithProgress } from './run-with-progress';

export interface CloneOptions extends GitCommandOptions {
  url: string;
  /** Absolute; must not exist, or be an empty directory. */
  directory: string;
  signal?: AbortSignal;
  /** --depth: a shallow clone of that many commits. */
  depth?: number;
  /** --branch: check out this branch (or tag) instead of the remote's HEAD. */
  branch?: string;
  bare?: boolean;
  /** --mirror: a bare clone with every ref, mapped one to one (local mirrors). */
  mirror?: boolean;
  /** --reference: borrow objects from this local repository (absolute path). */
  reference?: string;
  /** --dissociate: copy the borrowed objects, so the clone stops depending on `reference`. */
  dissociate?: boolean;
  noCheckout?: boolean;
  onProgress?(progress: GitProgress): void;
  /** The size the transfer is expected to reach (the server's estimate), for progress and time left. */
  expectedBytes?: number | null | Promise<number | null>;
}

export interface CloneOutcome {
  engine: 'native';
  directory: string;
}

/** Refuses a destination that exists and is not an empty folder ('destination-exists'). */
export async function assertEmptyOrMissing(directory: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new GitError('destination-exists', 'The destination exists and is a file, not a folder.');
    throw error;
  }
  if (entries.length > 0) throw new GitError('destination-exists', 'The destination folder already exists and is not empty.');
}

/** The argument list for `git clone`; exported for tests. */
export function cloneArguments(options: CloneOptions): string[] {
  const { url } = requireSafeUrl(options.url);
  const directory = requireAbsolutePath('directory', options.directory);
  const args = ['clone', '--progress'];
  if (options.depth !== undefined) args.push(`--depth=${requirePositiveInteger('depth', options.depth)}`);
  if (options.branch !== undefined) args.push(`--branch=${requireRefName('branch', options.branch)}`);
  if (options.mirror) args.push('--mirror');
  else if (options.bare) args.push('--bare');
  if (options.noCheckout && !options.bare && !options.mirror) args.push('--no-checkout');
  if (options.reference !== undefined) args.push(`--reference=${requireAbsolutePath('reference', options.reference)}`);
  if (options.dissociate) {
    if (options.reference === undefined) throw invalid('dissociate needs a reference repository');
    args.push('--dissociate');
  }
  args.push('--', url, directory);
  return args;
}

export async function cloneRepository(options: CloneOptions): Promise<CloneOutcome> {
  if (typeof options !== 'object' || options === null) throw invalid('cloneRepository needs an options object');
  const args = cloneArguments(options);
  const directory = args.at(-1)!;
  await assertEmptyOrMissing(directory);

  await runWithProgress(args, options);
  return { engine: 'native', directory };
}
