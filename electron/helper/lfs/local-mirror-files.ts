/**
 * Git LFS and the local mirrors on this machine:
 *   - a local mirror (a bare repository) fetches LFS objects after each sync, those of its default
 *     branch's tip or (a setting) of every branch's tip, from the closest source, then the next
 *     ones and the primary (`git lfs fetch`, kept in `{mirror}/lfs/objects`, so the quota counts them);
 *   - a clone of that repository borrows them from disk (hard links where the file system allows,
 *     else copies), so only what the local mirror lacks travels.
 */
import { copyFile, link, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ContractError, type DiscoveryResult } from '../../../shared/contract';
import { gitLfsVersion, lfsFetch, usesLfs, type LfsFile } from '../git/lfs-commands';
import { listLocalRefs } from '../git/refs';
import { orderSources } from '../transfer/sources';
import { phaseEnvironment, sourceEnvironment } from './lfs-environment';

const OID = /^[0-9a-f]{64}$/;

/** Where git-lfs keeps an object below a `lfs/objects` folder. */
export function lfsObjectPath(objectsDir: string, oid: string): string {
  if (!OID.test(oid)) throw new Error(`not an LFS object id: ${oid}`);
  return path.join(objectsDir, oid.slice(0, 2), oid.slice(2, 4), oid);
}

type LocalMirrorLfsOptions = {
  repository: string;
  discovery: DiscoveryResult;
  env: Record<string, string>;
  signal: AbortSignal;
  umask?: number;
  /** Whose tips' large files to keep; default the default branch's. */
  branches?: 'default-branch' | 'all-branches';
};

/** At most this many refs per `git lfs fetch`, to stay far below any command-line limit. */
const REFS_PER_FETCH = 200;

/**
 * After a local mirror's sync: the LFS objects of its default branch, from the first source that
 * delivers them all. A failure here, or no git-lfs on this machine, leaves the synced mirror as it
 * is: clones then fetch the large files it lacks from a server.
 */
export async function fetchLocalMirrorLargeFiles(options: LocalMirrorLfsOptions): Promise<void> {
  try {
    await fetchInto(options);
  } catch (error) {
    if (options.signal.aborted) throw error;
  }
}

async function fetchInto(options: LocalMirrorLfsOptions): Promise<void> {
  const { signal } = options;
  const env = phaseEnvironment(options.env);
  const allBranches = options.branches === 'all-branches';
  // A side branch may bring LFS that the default branch does not have: with all branches, ask git-lfs anyway.
  if (!(await gitLfsVersion({ env, signal })) || (!allBranches && !(await usesLfs(options.repository, { env, signal })))) return;
  const branches = allBranches ? [...(await listLocalRefs(options.repository, ['refs/heads'], { signal })).keys()] : [];
  const batches: (string[] | undefined)[] = [];
  for (let start = 0; start < branches.length; start += REFS_PER_FETCH) batches.push(branches.slice(start, start + REFS_PER_FETCH));
  if (batches.length === 0) batches.push(undefined);
  for (const refs of batches) {
    for (const source of orderSources(options.discovery, { protocol: 'http', choice: 'auto' }).sources) {
      const fetched = await lfsFetch(options.repository, { env: sourceEnvironment(options.env, source.url), signal, umask: options.umask, refs }).then(
        () => true,
        () => false,
      );
      if (signal.aborted) throw new ContractError('CANCELLED', 'Cancelled.');
      if (fetched) break;
    }
  }
}

/** Hard-links (or copies) into the clone the missing objects the local mirror holds; returns how many. */
export async function borrowFromLocalMirror(localMirror: string, clone: string, missing: LfsFile[]): Promise<number> {
  const from = path.join(localMirror, 'lfs', 'objects');
  const to = path.join(clone, '.git', 'lfs', 'objects');
  let borrowed = 0;
  for (const file of missing) {
    const source = lfsObjectPath(from, file.oid);
    const held = await stat(source).catch(() => undefined);
    if (!held || held.size !== file.size) continue;
    const target = lfsObjectPath(to, file.oid);
    await mkdir(path.dirname(target), { recursive: true });
    // A hard link shares the bytes; the clone keeps them if the local mirror is removed later.
    await link(source, target).catch(() => copyFile(source, target));
    borrowed += 1;
  }
  return borrowed;
}
