/**
 * Where the helper keeps its state. MIRROR_CLONE_HOME wins (tests always set it to a temp dir);
 * otherwise the platform's usual place for per-user application data.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';

export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env.MIRROR_CLONE_HOME?.trim();
  if (override) return path.resolve(override);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'mirror-clone');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'mirror-clone');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'mirror-clone');
}

export async function ensureDataDir(dir: string): Promise<string> {
  // 0700: the folder will hold clone metadata and caches that are nobody else's business.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}
