/**
 * A git killed mid-fetch (a cut link is survived, a crash or a kill is not) can leave lock files
 * behind: `shallow.lock`, `packed-refs.lock`, a ref's `.lock`. Git refuses to work while they are
 * there. The temporary folder of a clone is ours alone and no git runs in it between steps, so
 * before a step is tried again every lock in its `.git` is stale and is removed.
 *
 * A clone ready to work is at its destination, where the user's git may hold the index or a
 * branch: there only the locks a fetch takes (shallow, packed-refs, remote-tracking refs and tags)
 * are removed.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

async function locksUnder(folder: string, depth: number): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isFile() && entry.name.endsWith('.lock')) found.push(full);
    // objects/ holds no locks and can hold many files: it is not walked.
    else if (entry.isDirectory() && depth > 0 && entry.name !== 'objects') found.push(...(await locksUnder(full, depth - 1)));
  }
  return found;
}

const fetchLock = (relative: string) =>
  relative === 'shallow.lock' || relative === 'packed-refs.lock' || relative === 'FETCH_HEAD.lock' || /^refs[\\/](remotes|tags)[\\/]/.test(relative);

export async function removeStaleLocks(repository: string, options: { fetchOnly?: boolean } = {}): Promise<number> {
  const gitDir = path.join(repository, '.git');
  const locks = (await locksUnder(gitDir, 6)).filter((lock) => !options.fetchOnly || fetchLock(path.relative(gitDir, lock)));
  await Promise.all(locks.map((lock) => rm(lock, { force: true })));
  return locks.length;
}
