/**
 * Where the helper keeps its state. MIRROR_CLONE_HOME wins (tests always set it to a temp dir);
 * otherwise the platform's usual place for per-user application data.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Logger } from './logger';
import { makeFolderPrivate } from './private-folder';

export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env.MIRROR_CLONE_HOME?.trim();
  if (override) return path.resolve(override);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'mirror-clone');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'mirror-clone');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'mirror-clone');
}

/**
 * Creates the data folder 0700, or makes an existing one private again (private-folder.ts): it
 * holds clone metadata and whole repositories that are nobody else's business. What had to be
 * fixed is logged in one line.
 */
export async function ensureDataDir(dir: string, logger?: Logger): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const report = await makeFolderPrivate(dir);
  if (report.fixed > 0) logger?.warn('made the data folder private: folders and files other users could read are now readable by this user only', { folder: dir, fixed: report.fixed });
  if (report.failed > 0) logger?.warn('some folders or files in the data folder could not be made private', { folder: dir, failed: report.failed, examples: report.failures });
  return dir;
}
