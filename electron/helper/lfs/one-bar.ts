/**
 * The clone's one bar across git's phases and then the Git LFS download. git's progress runs 0..1
 * on its own, and so does the LFS phase's (large-files-progress.ts); shown as they come, the bar
 * would reach the end with git and then start again at 0 for the large files, while the card said
 * "Finishing". Here:
 *   - a repository known to use LFS before the clone (discovery read its .gitattributes) gives
 *     git a provisional part of the bar: how big the large files are is known only once their
 *     pointers are checked out;
 *   - when the LFS phase starts its size is exact: the bar moves on from where git left it, or
 *     forward to git's exact share of all the bytes if that is further, and the large files fill
 *     the rest; it never goes back;
 *   - the time left beside the bar is the whole clone's: while git runs ahead of large files of
 *     unknown size none is said ("estimating…"); in the LFS phase it is theirs, exact in bytes;
 *   - and the job is "cloning" again while the large files come, not "finishing".
 * A repository whose LFS was not known beforehand (the primary could not say) keeps git on the
 * whole bar; its large files then fill what git left (little).
 */
import type { CloneSource, GitProgressData } from '../../../shared/contract';
import type { CloneReporter } from '../clone/run-clone';

/**
 * git's part of the bar when large files are expected but their size is not known yet. Repositories
 * keep files in LFS because they are big: most of the time goes there. If they turn out small,
 * the bar jumps forward (never back) when their size is known.
 */
export const PROVISIONAL_GIT_SHARE = 0.25;
/** 100% belongs to the end of the whole clone, as in git's own progress. */
const MAX_BEFORE_DONE = 0.99;

export class OneBar {
  private gitShare = 1;
  /** What the bar showed when git's share changed (a head start runs before discovery answers): held until git passes it. */
  private floor = 0;
  private lastGit = 0;
  private gitBytes: number | undefined;
  private largeFilesFrom: number | undefined;

  /** Once discovery has said whether the repository uses LFS. */
  expectLargeFiles(expected: boolean): void {
    const share = expected ? PROVISIONAL_GIT_SHARE : 1;
    if (share === this.gitShare) return;
    this.floor = this.lastGit;
    this.gitShare = share;
  }

  git(progress: GitProgressData): GitProgressData {
    const value = Math.min(MAX_BEFORE_DONE, Math.max(this.floor, progress.value * this.gitShare));
    this.lastGit = value;
    if (progress.receivedBytes !== undefined) this.gitBytes = progress.receivedBytes;
    if (this.gitShare === 1) return { ...progress, value };
    // Large files follow: git's time left is not the clone's (theirs is not known before their
    // pointers are here), so none is said until then; and git's "done" is not the clone's.
    const { etaSeconds: _gitOnly, ...rest } = progress;
    return { ...rest, value, ...(progress.phase === 'done' ? { phase: 'checking-out' as const } : {}) };
  }

  /** Whether this is the first progress of the LFS phase. */
  get largeFilesStarted(): boolean {
    return this.largeFilesFrom !== undefined;
  }

  largeFiles(progress: GitProgressData): GitProgressData {
    if (this.largeFilesFrom === undefined) {
      const total = progress.expectedBytes;
      const exact = this.gitBytes && total ? this.gitBytes / (this.gitBytes + total) : 0;
      this.largeFilesFrom = Math.min(MAX_BEFORE_DONE, Math.max(this.lastGit, exact));
    }
    const from = this.largeFilesFrom;
    const value = Math.max(from, Math.min(MAX_BEFORE_DONE, from + (MAX_BEFORE_DONE - from) * progress.value));
    return { ...progress, value };
  }

  /** The reporter a clone reports through: its progress on the one bar. */
  around(outer: CloneReporter): CloneReporter {
    return {
      ...outer,
      progress: (source: CloneSource, progress: GitProgressData) => {
        if (progress.phase !== 'large-files') return outer.progress(source, this.git(progress));
        // Large files still coming: the clone is not finishing yet.
        if (!this.largeFilesStarted) outer.phase('cloning');
        outer.progress(source, this.largeFiles(progress));
      },
    };
  }
}
