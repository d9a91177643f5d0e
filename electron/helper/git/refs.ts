/**
 * Local refs: listing them (for comparing with the primary's), resolving a revision, moving a ref,
 * and the checked-out branch.
 */
import {
  requireAbsolutePath,
  requireOid,
  requireRefName,
  requireRevision,
  requireString,
  runOptions,
  runnerOf,
  invalid,
  type GitCommandOptions,
} from './arguments';

/** refName -> oid, e.g. 'refs/remotes/origin/main' -> '3f2a...'. */
export type LocalRefs = Map<string, string>;

/**
 * Refs matching any of `patterns` (for-each-ref rules: a pattern matches a whole ref, or a prefix
 * that ends at a '/', e.g. 'refs/remotes/origin/'; or a glob). No patterns: every ref.
 */
export async function listLocalRefs(repository: string, patterns: string[] = [], options: GitCommandOptions = {}): Promise<LocalRefs> {
  const repo = requireAbsolutePath('repository', repository);
  if (!Array.isArray(patterns)) throw invalid('patterns must be an array');
  for (const pattern of patterns) {
    // eslint-disable-next-line no-control-regex
    if (requireString('pattern', pattern).startsWith('-') || /[\u0000-\u0020]/.test(pattern)) throw invalid(`${JSON.stringify(pattern)} is not a ref pattern`);
  }
  const args = ['-C', repo, 'for-each-ref', '--format=%(objectname) %(refname)', '--', ...patterns];
  const { stdout } = await runnerOf(options)(args, runOptions(options));
  const refs: LocalRefs = new Map();
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) refs.set(line.slice(space + 1), line.slice(0, space));
  }
  return refs;
}

/** The object id `rev` names ('HEAD', 'refs/remotes/origin/main', 'v1.0^{commit}'), or undefined. */
export async function revParse(repository: string, rev: string, options: GitCommandOptions = {}): Promise<string | undefined> {
  const repo = requireAbsolutePath('repository', repository);
  const revision = requireRevision(rev);
  // --end-of-options: even a revision that slipped past the check cannot act as an option.
  const args = ['-C', repo, 'rev-parse', '--verify', '--quiet', '--end-of-options', revision];
  const { stdout, exitCode } = await runnerOf(options)(args, { ...runOptions(options), successExitCodes: [0, 1] });
  return exitCode === 0 ? stdout.trim() : undefined;
}

export interface UpdateRefOptions extends GitCommandOptions {
  /** Only move the ref if it still points here (compare-and-swap); all zeros: only if it does not exist. */
  oldOid?: string;
  /** The reflog message. */
  message?: string;
}

/** Points `ref` (a full name under refs/) at `newOid`, optionally only from `oldOid`. */
export async function updateRef(repository: string, ref: string, newOid: string, options: UpdateRefOptions = {}): Promise<void> {
  const repo = requireAbsolutePath('repository', repository);
  const name = requireRefName('ref', ref);
  if (!name.startsWith('refs/')) throw invalid('ref must be a full name starting with refs/');
  const args = ['-C', repo, 'update-ref'];
  if (options.message !== undefined) args.push('-m', requireString('message', options.message));
  args.push('--', name, requireOid('newOid', newOid));
  if (options.oldOid !== undefined) args.push(requireOid('oldOid', options.oldOid));
  await runnerOf(options)(args, runOptions(options));
}

/**
 * Points each ref at its oid in one `git update-ref --stdin` transaction: all move, or none does
 * (what a fetch does with the refs it updates).
 */
export async function updateRefs(repository: string, updates: LocalRefs, options: GitCommandOptions & { message?: string } = {}): Promise<void> {
  const repo = requireAbsolutePath('repository', repository);
  const lines: string[] = [];
  for (const [ref, oid] of updates) {
    const name = requireRefName('ref', ref);
    if (!name.startsWith('refs/')) throw invalid('ref must be a full name starting with refs/');
    lines.push(`update ${name} ${requireOid('oid', oid)}`);
  }
  if (lines.length === 0) return;
  const args = ['-C', repo, 'update-ref'];
  if (options.message !== undefined) args.push('-m', requireString('message', options.message));
  args.push('--stdin');
  await runnerOf(options)(args, { ...runOptions(options), stdin: `${lines.join('\n')}\n` });
}

export interface CurrentBranchOptions extends GitCommandOptions {
  /** Return 'refs/heads/main' instead of 'main'. */
  fullname?: boolean;
}

/** The checked-out branch ('main'), also before its first commit; undefined when HEAD is detached. */
export async function currentBranch(repository: string, options: CurrentBranchOptions = {}): Promise<string | undefined> {
  const repo = requireAbsolutePath('repository', repository);
  const args = ['-C', repo, 'symbolic-ref', '--quiet', 'HEAD'];
  const { stdout, exitCode } = await runnerOf(options)(args, { ...runOptions(options), successExitCodes: [0, 1] });
  if (exitCode !== 0) return undefined;
  const full = stdout.trim();
  // We shorten ourselves: `symbolic-ref --short` may print 'heads/main' when a tag is also called main.
  return options.fullname || !full.startsWith('refs/heads/') ? full : full.slice('refs/heads/'.length);
}
