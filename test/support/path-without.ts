/**
 * A PATH that lacks one program: a folder of links to everything in /usr/bin but `program`, for
 * tests of what the app does on a machine without it (git-lfs, most often).
 */
import { mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';

export async function pathWithout(program: string, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (const name of await readdir('/usr/bin')) if (name !== program) await symlink(path.join('/usr/bin', name), path.join(folder, name));
  return folder;
}
