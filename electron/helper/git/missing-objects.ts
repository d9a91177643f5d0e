/**
 * Which objects reachable from some tips a repository lacks, looking past its shallow boundary:
 * `git --shallow-file "" rev-list --objects --missing=print`. A shallow clone that has received
 * part of its history (a cut pack's whole objects, pack-prefix.ts) asks this to learn what is
 * still to come. Git's commit walk cannot step over a missing commit: then the answer is only
 * that commits are missing, and which objects is not known.
 */
import { requireAbsolutePath, requireOid, runOptions, runnerOf, type GitCommandOptions } from './arguments';

export type MissingObjects = { commitsComplete: true; missing: string[] } | { commitsComplete: false };

export interface MissingObjectsOptions extends GitCommandOptions {
  /** Blobs are not looked at, so only missing commits and trees are named. */
  treesOnly?: boolean;
  /** Read the history as if it were shallow at the commits this file lists, instead of not shallow. */
  shallowFile?: string;
}

export async function missingObjects(repository: string, tips: readonly string[], options: MissingObjectsOptions = {}): Promise<MissingObjects> {
  const repo = requireAbsolutePath('repository', repository);
  const revisions = tips.map((tip) => requireOid('tip', tip));
  if (revisions.length === 0) return { commitsComplete: true, missing: [] };
  // An empty shallow file name: the repository read as if it were not shallow.
  const shallowFile = options.shallowFile === undefined ? '' : requireAbsolutePath('shallowFile', options.shallowFile);
  const args = ['-C', repo, '--shallow-file', shallowFile, 'rev-list', '--objects', '--no-object-names', '--missing=print', ...(options.treesOnly ? ['--filter=blob:none'] : []), '--stdin'];
  const { stdout, exitCode } = await runnerOf(options)(args, { ...runOptions(options), stdin: `${revisions.join('\n')}\n`, successExitCodes: [0, 128] });
  if (exitCode !== 0) return { commitsComplete: false };
  const missing = stdout
    .split('\n')
    .filter((line) => line.startsWith('?'))
    .map((line) => line.slice(1).trim());
  return { commitsComplete: true, missing };
}

export interface HistoryCommit {
  oid: string;
  /** Its root tree. */
  tree: string;
  parents: string[];
}

/**
 * The commits below `tips`, every child before its parents (`--topo-order`), the shallow boundary
 * looked past: so any first part of the list holds, with each commit, every commit above it.
 */
export async function commitsChildrenFirst(repository: string, tips: readonly string[], options: GitCommandOptions = {}): Promise<HistoryCommit[]> {
  const repo = requireAbsolutePath('repository', repository);
  const revisions = tips.map((tip) => requireOid('tip', tip));
  if (revisions.length === 0) return [];
  const args = ['-C', repo, '--shallow-file', '', 'log', '--topo-order', '--format=%H %T %P', '--stdin'];
  const { stdout } = await runnerOf(options)(args, { ...runOptions(options), stdin: `${revisions.join('\n')}\n` });
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [oid, tree, ...parents] = line.trim().split(' ');
      return { oid: oid!, tree: tree!, parents: parents.filter((parent) => parent.length > 0) };
    });
}
