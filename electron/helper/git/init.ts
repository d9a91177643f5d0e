/**
 * `git init --quiet -- <directory>`: an empty working repository, the first step of a clone made
 * in steps (clone/steps/). Like `git clone`, it is given a fresh folder and nothing else.
 */
import { requireAbsolutePath, runOptions, runnerOf, type GitCommandOptions } from './arguments';

export async function initRepository(directory: string, options: GitCommandOptions = {}): Promise<void> {
  const target = requireAbsolutePath('directory', directory);
  await runnerOf(options)(['init', '--quiet', '--', target], runOptions(options));
}
