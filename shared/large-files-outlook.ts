/**
 * What to tell a person about Git LFS before a clone, the same words in the app's clone panel
 * and in `mirror-clone discover`: that the repository uses LFS, where the large files will be
 * asked for, and, with no git-lfs on this machine, what they will get and how to install it.
 *
 * A mirror's LFS is known only once it is asked (a mirror may have LFS switched off, or fail for
 * objects it cannot fetch from the primary), so the words say where the files are asked for
 * first and what happens when that server cannot serve them, not that it will.
 */
import type { Candidate, LargeFilesOutlook } from './contract';

export const INSTALL_GIT_LFS_BEFORE =
  'Install Git LFS before cloning (https://git-lfs.com; e.g. `apt install git-lfs`, `brew install git-lfs`, or `winget install GitHub.GitLFS`), or afterwards run `git lfs install --local && git lfs pull` in the clone.';

export interface LargeFilesWords {
  /** One line: uses LFS (which patterns), where the files come from; undefined when there is nothing to say. */
  notice?: string;
  /** No git-lfs here: what the clone will hold, and how to get the real files. */
  warning?: string;
}

function patternList(outlook: LargeFilesOutlook): string {
  const more = outlook.morePatterns > 0 ? ` and ${outlook.morePatterns} more` : '';
  return outlook.patterns.length > 0 ? ` (${outlook.patterns.join(', ')}${more})` : '';
}

/** `server`: the candidate the clone will come from (the chosen one, or the user's pick). */
export function describeLargeFiles(outlook: LargeFilesOutlook, server: Pick<Candidate, 'name' | 'kind'> | undefined): LargeFilesWords {
  if (outlook.usesLfs === 'no') return {};
  if (outlook.usesLfs === 'unknown') return { notice: 'Whether it keeps large files in Git LFS is not known yet (the primary did not show its .gitattributes); the clone checks.' };
  const where =
    !server || server.kind === 'primary'
      ? 'they come from the primary'
      : `they are asked of ${server.name} first (a mirror fetches what it lacks from the primary); any it cannot serve come from the next server, then the primary`;
  const words: LargeFilesWords = { notice: `Uses Git LFS${patternList(outlook)}: ${where}.` };
  if (outlook.gitLfsInstalled === false) {
    words.warning = `git-lfs is not installed on this computer: the clone will hold small pointer files instead of the large files. ${INSTALL_GIT_LFS_BEFORE}`;
  }
  return words;
}
