/**
 * The fetches a clone made in steps is built of, each an ordinary `git fetch` that leaves a valid
 * repository behind:
 *   tip      --depth=1: the newest commit of a branch and its files only
 *   deepen   --deepen=<n>: n more commits of history below what is there
 *   complete --unshallow (when shallow) --tags: the rest of the history, every branch and tag
 * Tags are left out until the last step: a tag drags its history in with it.
 */
import { requireAbsolutePath, requirePositiveInteger, requireRefspec, requireRemoteName, runOptions, type GitCommandOptions } from './arguments';
import type { GitProgress } from './progress';
import { runWithProgress } from './run-with-progress';

export type ShallowFetchKind = { kind: 'tip' } | { kind: 'deepen'; commits: number } | { kind: 'complete'; unshallow: boolean };

export interface ShallowFetchOptions extends GitCommandOptions {
  repository: string;
  /** A configured remote's name: the URL lives in the repository's config. */
  remote: string;
  refspecs: string[];
  step: ShallowFetchKind;
  onProgress?(progress: GitProgress): void;
}

/** The argument list; exported for tests. */
export function shallowFetchArguments(options: ShallowFetchOptions): string[] {
  const repository = requireAbsolutePath('repository', options.repository);
  const remote = requireRemoteName(options.remote);
  const refspecs = options.refspecs.map(requireRefspec);
  const args = ['-C', repository, 'fetch', '--progress'];
  switch (options.step.kind) {
    case 'tip':
      args.push('--depth=1', '--no-tags');
      break;
    case 'deepen':
      args.push(`--deepen=${requirePositiveInteger('commits', options.step.commits)}`, '--no-tags');
      break;
    case 'complete':
      if (options.step.unshallow) args.push('--unshallow');
      args.push('--tags');
      break;
  }
  args.push('--', remote, ...refspecs);
  return args;
}

export async function shallowFetch(options: ShallowFetchOptions): Promise<void> {
  await runWithProgress(shallowFetchArguments(options), { ...runOptions(options), onProgress: options.onProgress });
}
