/**
 * Bringing the checked-out branch up to a remote-tracking ref (e.g. the primary's state after a
 * top-up), only ever by fast-forward. Local work is never at risk: when the branch has commits
 * the target lacks, when tracked files have uncommitted changes, or when git would have to
 * overwrite something, nothing is changed and the result says why.
 *
 * The checks run first so the common refusals (diverged, dirty) are reported without starting a
 * merge at all; `git merge --ff-only` then still refuses anything but a fast-forward and checks
 * the work tree before writing (all or nothing), which covers what changed in between.
 */
import { requireAbsolutePath, requireRevision, runOptions, runnerOf, type GitCommandOptions } from './arguments';
import { GitError, summaryLine } from './errors';
import { currentBranch, revParse } from './refs';

export type FastForwardStatus =
  | 'fast-forwarded'
  | 'up-to-date'
  /** The branch already contains the target and has more: nothing to do. */
  | 'ahead'
  | 'diverged'
  /** Tracked files have uncommitted changes. */
  | 'dirty'
  | 'detached'
  | 'missing-target'
  /** git refused (e.g. an untracked file would be overwritten, a merge in progress). */
  | 'blocked';

export interface FastForwardResult {
  /** True when the branch now contains the target (fast-forwarded, up to date or ahead). */
  ok: boolean;
  status: FastForwardStatus;
  /** Why it was not fast-forwarded, in words for a person. */
  reason?: string;
  branch?: string;
  from?: string;
  to?: string;
}

async function isAncestor(repo: string, ancestor: string, descendant: string, options: GitCommandOptions): Promise<boolean> {
  const args = ['-C', repo, 'merge-base', '--is-ancestor', ancestor, descendant];
  const { exitCode } = await runnerOf(options)(args, { ...runOptions(options), successExitCodes: [0, 1] });
  return exitCode === 0;
}

async function hasTrackedChanges(repo: string, options: GitCommandOptions): Promise<boolean> {
  // --no-optional-locks: a status check must not even refresh the index.
  const args = ['--no-optional-locks', '-C', repo, 'status', '--porcelain=v1', '--untracked-files=no', '-z'];
  const { stdout } = await runnerOf(options)(args, runOptions(options));
  return stdout.length > 0;
}

export async function fastForwardCurrentBranch(
  repository: string,
  toRef: string,
  signal?: AbortSignal,
  commandOptions: GitCommandOptions = {},
): Promise<FastForwardResult> {
  const repo = requireAbsolutePath('repository', repository);
  const target = requireRevision(toRef);
  const options: GitCommandOptions = { ...commandOptions, signal: signal ?? commandOptions.signal };

  const branch = await currentBranch(repo, options);
  if (!branch) return { ok: false, status: 'detached', reason: 'No branch is checked out (detached HEAD).' };
  const to = await revParse(repo, `${target}^{commit}`, options);
  if (!to) return { ok: false, status: 'missing-target', branch, reason: `${target} does not exist.` };
  const from = await revParse(repo, 'HEAD^{commit}', options);

  if (from === to) return { ok: true, status: 'up-to-date', branch, from, to };
  if (from) {
    if (await isAncestor(repo, to, from, options)) return { ok: true, status: 'ahead', branch, from, to };
    if (!(await isAncestor(repo, from, to, options))) {
      return { ok: false, status: 'diverged', branch, from, to, reason: `${branch} has commits that ${target} does not have; it was left as it is.` };
    }
  }
  if (await hasTrackedChanges(repo, options)) {
    return { ok: false, status: 'dirty', branch, from, to, reason: `${branch} has uncommitted changes; it was left as it is.` };
  }

  try {
    await runnerOf(options)(['-C', repo, 'merge', '--ff-only', '--no-stat', '--quiet', to], runOptions(options));
  } catch (error) {
    if (error instanceof GitError && error.kind !== 'cancelled' && error.kind !== 'timeout' && error.kind !== 'git-missing') {
      const why = summaryLine(error.stderrTail) || 'git refused to fast-forward';
      return { ok: false, status: 'blocked', branch, from, to, reason: `${branch} was left as it is: ${why}` };
    }
    throw error;
  }
  return { ok: true, status: 'fast-forwarded', branch, from, to };
}
