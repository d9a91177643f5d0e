/**
 * After a cut, trees can be missing as well as blobs: a server sends some of a pack's trees among
 * its blobs. A tree asked for by id would bring everything below it again, so instead every commit
 * whose tree arrived whole (whole-trees.ts) is added to the clone's shallow boundary, and the
 * history fetch that follows (--unshallow) leaves all of them out: for each shallow commit the
 * server sends its parents' history and counts the commit's own tree as the client's.
 *
 * The clone stays valid meanwhile: its refs reach only commits on the boundary, whose trees are
 * whole, and nothing below them.
 */
import type { GitCommandOptions } from '../../git/arguments';
import { commitsChildrenFirst } from '../../git/missing-objects';
import { readShallowBoundary, writeShallowBoundary } from '../../git/shallow';
import { commitsWithWholeTrees } from '../../git/whole-trees';

/**
 * Adds the commits below `tips` whose trees are whole (given what `missing` names) to the shallow
 * boundary of `repository`; answers them.
 */
export async function shallowAtWholeCommits(repository: string, tips: readonly string[], missing: ReadonlySet<string>, git: GitCommandOptions): Promise<Set<string>> {
  const commits = await commitsChildrenFirst(repository, tips, git);
  const whole = await commitsWithWholeTrees(repository, commits, missing, git);
  if (whole.size > 0) await writeShallowBoundary(repository, [...(await readShallowBoundary(repository, git)), ...whole], git);
  return whole;
}
