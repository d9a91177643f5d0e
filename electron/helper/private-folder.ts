/**
 * The data folder is this user's alone: it holds which servers and repositories they use, and
 * the local mirrors hold whole private repositories. Folders are 0700; files keep only their
 * owner's bits (0644 → 0600, an executable 0755 → 0700, git's read-only packs 0444 → 0400).
 *
 * Fixed at every start, since a folder made by hand, restored from a backup or written by an
 * older version may be open to everyone (MIRROR_CLONE_HOME pointing at an existing 0755 folder).
 *
 * Symbolic links inside are never followed: chmod through one would change a file outside the
 * folder. Each folder is made private before what it holds is looked at, so once a folder is
 * checked no one else can swap an entry for a link; and every change goes through a descriptor
 * opened with O_NOFOLLOW, so an entry that became a link meanwhile is left alone.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface PrivacyReport {
  /** Folders and files whose mode was too open, and is now private. */
  fixed: number;
  /** Too open, but could not be changed (owned by someone else, vanished, unreadable). */
  failed: number;
  /** The first few that could not be changed, to name in the log. */
  failures: string[];
}

const openBits = 0o077;
const noFollow = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Changes the mode through a descriptor, so a link put in place of the entry is never followed. */
async function tighten(file: string, directory: boolean): Promise<void> {
  const handle = await open(file, directory ? noFollow | constants.O_DIRECTORY : noFollow);
  try {
    const { mode } = await handle.stat();
    const wanted = directory ? 0o700 : mode & 0o700;
    if ((mode & 0o777) !== wanted) await handle.chmod(wanted);
  } finally {
    await handle.close();
  }
}

function needsFixing(mode: number, directory: boolean): boolean {
  return directory ? (mode & 0o777) !== 0o700 : (mode & openBits) !== 0;
}

/**
 * Makes `root` (followed if it is itself a link: that is the folder the user chose) and every
 * folder and file under it private. No-op on Windows, where modes do not say who may read.
 */
export async function makeFolderPrivate(root: string): Promise<PrivacyReport> {
  const report: PrivacyReport = { fixed: 0, failed: 0, failures: [] };
  if (process.platform === 'win32') return report;

  const attempt = async (file: string, directory: boolean, mode: number) => {
    if (!needsFixing(mode, directory)) return;
    try {
      await tighten(file, directory);
      report.fixed += 1;
    } catch {
      report.failed += 1;
      if (report.failures.length < 3) report.failures.push(file);
    }
  };

  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() && !entry.isFile()) continue; // links, sockets, pipes: left as they are
      const file = path.join(folder, entry.name);
      const info = await lstat(file).catch(() => undefined);
      if (!info) continue; // removed meanwhile
      if (info.isDirectory()) {
        await attempt(file, true, info.mode);
        await walk(file);
      } else if (info.isFile()) {
        await attempt(file, false, info.mode);
      }
    }
  };

  // The folder a root link points at: O_NOFOLLOW would refuse the link itself.
  const real = await realpath(root);
  const rootInfo = await stat(real);
  if (!rootInfo.isDirectory()) throw new Error(`${root} is not a folder.`);
  await attempt(real, true, rootInfo.mode);
  await walk(real);
  return report;
}
