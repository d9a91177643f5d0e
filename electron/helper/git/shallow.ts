/** `git rev-parse --is-shallow-repository`: whether some history is still missing below shallow roots. */
import { requireAbsolutePath, runOptions, runnerOf, type GitCommandOptions } from './arguments';

export async function isShallowRepository(repository: string, options: GitCommandOptions = {}): Promise<boolean> {
  const repo = requireAbsolutePath('repository', repository);
  const { stdout } = await runnerOf(options)(['-C', repo, 'rev-parse', '--is-shallow-repository'], runOptions(options));
  return stdout.trim() === 'true';
}
