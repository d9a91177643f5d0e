import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh folder under the OS temp dir; remove it with the returned cleanup. */
export async function makeTempDir(prefix: string): Promise<{ path: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `mirror-clone-${prefix}-`));
  return { path: dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
