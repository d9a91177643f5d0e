/**
 * `git index-pack --stdin --fix-thin`: a pack read from a stream becomes a pack and its index in
 * the repository. `--fix-thin` completes a thin pack (deltas against objects the repository
 * already holds) with those bases, as git's own fetch does.
 */
import type { Readable } from 'node:stream';
import { requireAbsolutePath, runOptions, runnerOf, type GitCommandOptions } from './arguments';

/** Indexes the pack `pack` streams into `repository`; answers the new pack's name (its hash). */
export async function indexPackFromStream(repository: string, pack: Readable, options: GitCommandOptions = {}): Promise<string> {
  const repo = requireAbsolutePath('repository', repository);
  const { stdout } = await runnerOf(options)(['-C', repo, 'index-pack', '--stdin', '--fix-thin'], { ...runOptions(options), stdin: pack });
  // "pack\t<hash>" (or "keep\t<hash>" when a .keep was asked for).
  return stdout.trim().split('\t').at(-1) ?? '';
}
