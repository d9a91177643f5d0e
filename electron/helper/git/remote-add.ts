/**
 * `git -C <repository> remote add -- <name> <url>`, with the fetch refspec `git clone` gives
 * (+refs/heads/*:refs/remotes/<name>/*). The URL passes the clone URL gate first.
 */
import { requireAbsolutePath, requireRemoteName, requireSafeUrl, runOptions, runnerOf, type GitCommandOptions } from './arguments';

export async function addRemote(repository: string, name: string, url: string, options: GitCommandOptions = {}): Promise<void> {
  const repo = requireAbsolutePath('repository', repository);
  const remote = requireRemoteName(name);
  const checked = requireSafeUrl(url);
  await runnerOf(options)(['-C', repo, 'remote', 'add', '--', remote, checked.url], runOptions(options));
}
