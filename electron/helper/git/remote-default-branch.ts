/**
 * `git ls-remote --symref -- <url> HEAD`: the branch a server's HEAD names (what `git clone`
 * checks out), asked before anything is fetched. Undefined when HEAD is detached or missing.
 */
import { requireSafeUrl, runOptions, runnerOf, type GitCommandOptions } from './arguments';

export async function remoteDefaultBranch(url: string, options: GitCommandOptions = {}): Promise<string | undefined> {
  const checked = requireSafeUrl(url);
  const { stdout } = await runnerOf(options)(['ls-remote', '--symref', '--', checked.url, 'HEAD'], { ...runOptions(options), timeoutMs: options.timeoutMs ?? 60_000 });
  const match = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(stdout);
  return match?.[1];
}
