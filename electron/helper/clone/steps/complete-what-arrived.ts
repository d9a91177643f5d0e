/**
 * A clone whose history fetch was cut is completed from what arrived, not fetched again.
 *
 * The cut pack's whole objects are in the clone already (salvage.ts). Git sends a pack's commits
 * first, then its trees, then its blobs, so after all but the earliest cuts every commit and tree
 * is here and only blobs are missing. Those are asked for by id (fetch-objects.ts), as git's own
 * partial clone does; that fetch may be cut too, and the next attempt goes on from there. When
 * nothing is missing below the branches and tags the history fetch was after, the clone stops
 * being shallow and gets those refs, as the fetch would have left it.
 *
 * Answers 'fetch-again' when commits are missing (a cut among the first objects: there is little
 * to keep) and 'refused' when the server will not send objects by id (one that speaks only git's
 * first protocol): the caller then fetches in deepen steps instead.
 */
import type { GitCommandOptions } from '../../git/arguments';
import { isGitError } from '../../git/errors';
import { missingObjects } from '../../git/missing-objects';
import { updateRefs, type LocalRefs } from '../../git/refs';
import { removeShallowBoundary } from '../../git/shallow';
import { shallowAtWholeCommits } from './whole-commits';

export type Completion = 'complete' | 'fetch-again' | 'refused';

/**
 * The refs a history fetch (every branch into refs/remotes/origin, every tag) leaves, from the
 * server's listing (lsRemote's map: `refs/heads/x`, `refs/tags/v1`, `refs/tags/v1^{}`).
 */
export function refsAfterHistoryFetch(listed: ReadonlyMap<string, string> | Readonly<Record<string, string>>): LocalRefs {
  const refs: LocalRefs = new Map();
  const entries = listed instanceof Map ? [...listed] : Object.entries(listed);
  for (const [ref, oid] of entries) {
    if (ref.endsWith('^{}')) continue;
    if (ref.startsWith('refs/heads/')) refs.set(`refs/remotes/origin/${ref.slice('refs/heads/'.length)}`, oid);
    else if (ref.startsWith('refs/tags/')) refs.set(ref, oid);
  }
  return refs;
}

export interface CompleteWhatArrived {
  repository: string;
  /** The refs the cut fetch was after (refsAfterHistoryFetch). */
  refs: LocalRefs;
  /**
   * Missing trees asked for by id too (each brings everything below it again), rather than a
   * history fetch past the commits that arrived whole: for a history that came mostly as deltas,
   * where few commits are whole (a pack sends a file's versions together, not a commit's files).
   */
  treesById?: boolean;
  git: GitCommandOptions & { signal: AbortSignal };
  /** Fetches these objects by id, with the clone's one progress. */
  fetchObjects(oids: string[]): Promise<void>;
}

export async function completeWhatArrived(run: CompleteWhatArrived): Promise<Completion> {
  const tips = [...new Set(run.refs.values())];
  // Blobs are asked for by id: exactly they come. A tree asked for would bring everything below it
  // (the clone's refs reach only the tip, so the server cannot leave out what arrived), so missing
  // trees end in a history fetch that leaves out every commit that arrived whole (whole-commits.ts),
  // unless few commits can be whole (treesById).
  for (let round = 0; round < 4; round++) {
    const found = await missingObjects(run.repository, tips, run.git);
    if (!found.commitsComplete) return 'fetch-again';
    if (found.missing.length === 0) {
      // Shallow first: a crash between the two leaves a whole repository with its old refs,
      // which a fetch completes; the other order would leave refs the shallow boundary cuts.
      await removeShallowBoundary(run.repository, run.git);
      await updateRefs(run.repository, run.refs, { ...run.git, message: 'mirror-clone: history completed from a cut fetch' });
      return 'complete';
    }
    const trees = await missingObjects(run.repository, tips, { ...run.git, treesOnly: true });
    const missingTrees = new Set(trees.commitsComplete ? trees.missing : []);
    const blobs = found.missing.filter((oid) => !missingTrees.has(oid));
    if (blobs.length === 0 && !run.treesById) {
      // Only trees (and what is below them): what arrived whole is kept as shallow commits.
      await keepWholeCommits(run, new Set(found.missing));
      return 'fetch-again';
    }
    try {
      await run.fetchObjects(blobs.length > 0 ? blobs : [...missingTrees]);
    } catch (error) {
      if (isGitError(error, 'object-refused')) return 'refused';
      throw error;
    }
  }
  return 'fetch-again';
}

/**
 * Every commit whose tree arrived whole joins the shallow boundary, and the branches among them
 * become refs (a fetch's common ground); the history fetch then brings only the rest.
 */
async function keepWholeCommits(run: CompleteWhatArrived, missing: ReadonlySet<string>): Promise<void> {
  const branches = [...run.refs].filter(([ref]) => ref.startsWith('refs/remotes/origin/'));
  const whole = await shallowAtWholeCommits(run.repository, branches.map(([, oid]) => oid), missing, run.git);
  const kept = new Map(branches.filter(([, oid]) => whole.has(oid)));
  await updateRefs(run.repository, kept, { ...run.git, message: 'mirror-clone: history kept from a cut fetch' });
}
