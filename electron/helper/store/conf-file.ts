/**
 * Every file the helper keeps its state in is opened here. `conf` writes atomically, but a file
 * can still be unreadable: a disk that filled up, a hand edit, a copy from a broken backup. Such
 * a file must not stop the helper from starting (it would take every feature with it). It is
 * moved aside under a name that says so, kept for the user to look at, and the helper starts
 * with that one store empty. Nothing is ever deleted.
 */
import Conf from 'conf';
import { renameSync } from 'node:fs';
import path from 'node:path';

export function openConfFile<T extends Record<string, unknown>>(dataDir: string, name: string, defaults?: T): Conf<T> {
  // 0600: the data folder is this user's alone (private-folder.ts).
  const open = () => new Conf<T>({ cwd: dataDir, configName: name, projectName: 'mirror-clone', configFileMode: 0o600, ...(defaults ? { defaults } : {}) });
  try {
    return open();
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const file = path.join(dataDir, `${name}.json`);
    renameSync(file, `${file}.unreadable-${new Date().toISOString().replaceAll(':', '-')}`);
    return open();
  }
}
