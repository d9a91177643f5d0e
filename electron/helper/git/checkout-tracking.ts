/**
 * What `git clone` does after its fetch, for a repository fetched by hand: refs/remotes/origin/HEAD
 * names the default branch (`git remote set-head`), and that branch is created tracking its
 * remote branch and checked out (`git checkout --force -B <branch> --track origin/<branch>`).
 */
import { requireAbsolutePath, requireRefName, requireRemoteName, runOptions, runnerOf, type GitCommandOptions } from './arguments';

export async function checkoutTrackingBranch(repository: string, remote: string, branch: string, options: GitCommandOptions = {}): Promise<void> {
  const repo = requireAbsolutePath('repository', repository);
  const name = requireRemoteName(remote);
  const ref = requireRefName('branch', branch);
  const run = runnerOf(options);
  await run(['-C', repo, 'remote', 'set-head', name, ref], runOptions(options));
  // --force: the folder is a clone's own, and a checkout a break cut short is simply done again.
  await run(['-C', repo, 'checkout', '--quiet', '--force', '-B', ref, '--track', `${name}/${ref}`, '--'], runOptions(options));
}
