/**
 * Local mirrors: `git clone --mirror` of a repository from the closest source into the helper's
 * data folder (made in a temporary sibling, renamed when complete), topped up from the primary
 * whatever the source lacked; synced the same way. Clones of that repository then borrow its
 * objects (see run-clone.ts: --reference with --dissociate, so no clone depends on the cache).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { directorySize } from '../transfer/directory-size';
import path from 'node:path';
import { ContractError, type GitProgressData, type LocalMirror } from '../../../shared/contract';
import type { DiscoveryService } from '../discovery/service';
import type { LocalMirrorsStore } from '../store/local-mirrors-store';
import { cloneRepository } from '../git/clone';
import { fetchRemote } from '../git/fetch';
import { listLocalRefs } from '../git/refs';
import { setRemoteUrl } from '../git/remote';
import { orderSources } from '../transfer/sources';
import { transferEnvironment } from '../transfer/transfer-env';
import { listPrimaryRefs, remoteAuthFor } from '../transfer/primary-refs';
import { listRemoteRefs } from '../git/remote-refs';
import type { CredentialSource } from '../primaries/credentials';
import { makeFolderPrivate } from '../private-folder';
import { TransferTooLargeError, transferLimitBytes, watchTransfer } from '../transfer/transfer-budget';
import { describeSourceFailure, serverNameOf } from '../transfer/source-failure';
import { measureTransfer, type ThroughputRecording } from '../transfer/measure-transfer';
import { fetchLocalMirrorLargeFiles } from '../lfs/local-mirror-files';

// Git writes the mirrors (packs, refs, FETCH_HEAD, ...) for this user only, whatever the helper's
// own umask; a pass after each write also undoes a core.sharedRepository from the user's config.
const privateUmask = 0o077;

/** `throughput`: where each sync and its top-up record how fast their server delivered. */
export interface CacheDeps extends ThroughputRecording {
  discovery: DiscoveryService;
  store: LocalMirrorsStore;
  dataDir: string;
  /** For the consistency check, which asks the primary directly (no discovery, no probing). */
  credentials: CredentialSource;
  clientOptions(): Promise<{ ca?: string | Buffer }>;
  /** The largest transfer from one source when the repository's size is unknown (Settings). */
  maxTransferBytes?(): number | undefined;
  /** Which Git LFS files a local mirror keeps (Settings); default those of the default branch. */
  largeFiles?(): 'default-branch' | 'all-branches';
}

export function localMirrorId(primaryBaseUrl: string, projectKey: string, slug: string): string {
  return createHash('sha256').update(`${primaryBaseUrl}|${projectKey.toUpperCase()}|${slug.toLowerCase()}`).digest('hex').slice(0, 16);
}

/** In a bare mirror refs map one to one: whatever the primary has that the mirror has not, from the primary. */
async function topUpBareMirror(repository: string, primaryUrl: string, primaryRefs: Map<string, string>, env: Record<string, string>, signal: AbortSignal, recording: ThroughputRecording): Promise<void> {
  const local = await listLocalRefs(repository, ['refs/heads', 'refs/tags'], { signal });
  const refspecs = [...primaryRefs]
    .filter(([ref, oid]) => (ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/')) && !ref.endsWith('^{}') && local.get(ref) !== oid)
    .map(([ref]) => `+${ref}:${ref}`);
  if (refspecs.length === 0) return;
  const measure = measureTransfer(primaryUrl, recording);
  await fetchRemote({ repository, remote: primaryUrl, refspecs, env, signal, umask: privateUmask, onProgress: measure.onProgress });
  await measure.record();
}

/** Fetches from the source closest now, then tops up from the primary. */
async function refresh(mirror: { path: string; primaryBaseUrl: string; projectKey: string; slug: string }, deps: CacheDeps, signal: AbortSignal, cloneInto?: string) {
  const repository = `${mirror.primaryBaseUrl}/projects/${encodeURIComponent(mirror.projectKey)}/repos/${encodeURIComponent(mirror.slug)}`;
  const discovered = await deps.discovery.discover({ repository, primary: mirror.primaryBaseUrl }, signal);
  const { sources } = orderSources(discovered.result, { protocol: 'http', choice: 'auto' });
  const primaryUrl = discovered.result.repository.cloneUrls.http;
  if (!primaryUrl) throw new ContractError('NOT_FOUND', 'The primary offers no HTTP(S) URL for this repository; local mirrors use HTTP(S).');
  const { env, sendsTokenTo } = await transferEnvironment(discovered, { protocol: 'http', dataDir: deps.dataDir });
  const primaryHost = new URL(discovered.result.repository.primaryBaseUrl).host;
  const sizeBytes = discovered.result.repository.sizeBytes;
  const limitBytes = transferLimitBytes(sizeBytes, deps.maxTransferBytes?.());

  let served: (typeof sources)[number] | undefined;
  const failures: string[] = [];
  for (const source of sources) {
    // Each source has its own byte budget: one that sends without end is cut off, the next tried.
    const watch = await watchTransfer({ limitBytes, sizeKnown: typeof sizeBytes === 'number', serverName: serverNameOf(source), signal, repository: cloneInto ?? mirror.path });
    const measure = measureTransfer(source.url, deps);
    try {
      const onProgress = (progress: GitProgressData) => {
        watch.onProgress(progress);
        measure.onProgress(progress);
      };
      const transfer = { env, signal: watch.signal, onProgress, umask: privateUmask };
      if (cloneInto) await cloneRepository({ url: source.url, directory: cloneInto, mirror: true, ...transfer });
      else {
        await setRemoteUrl(mirror.path, 'origin', source.url, { signal, umask: privateUmask });
        await fetchRemote({ repository: mirror.path, remote: 'origin', prune: true, ...transfer });
      }
      served = source;
      await measure.record();
      break;
    } catch (raw) {
      const error = watch.explain(raw);
      if (signal.aborted) throw new ContractError('CANCELLED', 'Cancelled.');
      if (cloneInto) await rm(cloneInto, { recursive: true, force: true });
      const anonymous = discovered.credentials !== undefined && !sendsTokenTo(source.url);
      failures.push(error instanceof TransferTooLargeError ? error.message : `${source.name}: ${describeSourceFailure(error, { source, primaryHost, anonymous })}`);
    } finally {
      watch.stop();
    }
  }
  if (!served) throw new ContractError('GIT', `No server could serve the local mirror: ${failures.join('; ')}`);
  const primaryRefs = discovered.primaryRefs?.refs ?? (await listPrimaryRefs({ url: primaryUrl, protocol: 'http', credentials: discovered.credentials, env, signal, ca: discovered.ca }));
  await topUpBareMirror(cloneInto ?? mirror.path, primaryUrl, primaryRefs, env, signal, deps);
  // Git LFS objects too (the default branch's, or every branch's), so a clone borrows them instead of downloading them.
  await fetchLocalMirrorLargeFiles({ repository: cloneInto ?? mirror.path, discovery: discovered.result, env, signal, umask: privateUmask, branches: deps.largeFiles?.() ?? 'default-branch' });
  await makeFolderPrivate(cloneInto ?? mirror.path);
  return { discovered, source: served };
}

export async function addLocalMirror(params: { repository: string; primary?: string }, deps: CacheDeps, signal: AbortSignal): Promise<LocalMirror> {
  const { result } = await deps.discovery.discover({ repository: params.repository, primary: params.primary }, signal);
  const { primaryBaseUrl, projectKey, slug } = result.repository;
  const id = localMirrorId(primaryBaseUrl, projectKey, slug);
  const existing = deps.store.get(id);
  if (existing) return syncLocalMirror(existing, deps, signal);

  const finalPath = path.join(deps.dataDir, 'mirrors', `${id}.git`);
  const temporary = `${finalPath}.partial-${randomBytes(4).toString('hex')}`;
  await mkdir(path.dirname(finalPath), { recursive: true, mode: 0o700 });
  try {
    const { source } = await refresh({ path: finalPath, primaryBaseUrl, projectKey, slug }, deps, signal, temporary);
    await rename(temporary, finalPath);
    const mirror: LocalMirror = {
      id, primaryBaseUrl, projectKey, slug, path: finalPath, primaryCloneUrl: result.repository.cloneUrls.http,
      source: { id: source.id, name: source.name, url: source.url },
      state: 'ready', addedAt: new Date().toISOString(), lastSyncAt: new Date().toISOString(),
    };
    deps.store.put(mirror);
    return mirror;
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
}

export async function syncLocalMirror(mirror: LocalMirror, deps: CacheDeps, signal: AbortSignal): Promise<LocalMirror> {
  // Each write changes the stored record as it is then (never a snapshot from before the sync),
  // and none brings back a mirror removed meanwhile.
  if (!deps.store.update(mirror.id, (stored) => ({ ...stored, state: 'syncing' }))) {
    throw new ContractError('NOT_FOUND', `No local mirror ${mirror.id}.`);
  }
  try {
    const { source, discovered } = await refresh(mirror, deps, signal);
    const synced = deps.store.update(mirror.id, (stored) => ({
      ...stored,
      state: 'ready',
      source: { id: source.id, name: source.name, url: source.url },
      primaryCloneUrl: discovered.result.repository.cloneUrls.http,
      lastSyncAt: new Date().toISOString(),
      lastError: undefined,
    }));
    if (!synced) throw new ContractError('NOT_FOUND', `The local mirror ${mirror.id} was removed while it synced.`);
    return synced;
  } catch (error) {
    // Reported and kept: a failed sync leaves the last good copy, marked failed with the reason.
    deps.store.update(mirror.id, (stored) => ({ ...stored, state: 'failed', lastError: error instanceof Error ? error.message : String(error) }));
    throw error;
  }
}

export async function removeLocalMirror(id: string, deps: CacheDeps): Promise<boolean> {
  const mirror = deps.store.get(id);
  if (!mirror) return false;
  deps.store.remove(id);
  await rm(mirror.path, { recursive: true, force: true });
  return true;
}

/**
 * After the helper was stopped in the middle of a sync: half-made mirrors are removed, lock files
 * git left behind are cleared (no git runs on the cache before this), and a mirror that was
 * syncing is marked failed and due at once, so it is synced again rather than left half-written.
 */
export async function recoverInterrupted(deps: Pick<CacheDeps, 'store' | 'dataDir'>): Promise<void> {
  const folder = path.join(deps.dataDir, 'mirrors');
  for (const entry of await readdir(folder).catch(() => [] as string[])) {
    if (entry.includes('.partial-')) await rm(path.join(folder, entry), { recursive: true, force: true });
  }
  for (const mirror of deps.store.list()) {
    const files = await readdir(mirror.path, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const file of files) {
      if (file.isFile() && (file.name.endsWith('.lock') || file.name.startsWith('tmp_pack_'))) await rm(path.join(file.parentPath, file.name), { force: true });
    }
    if (mirror.state === 'syncing') {
      deps.store.put({ ...mirror, state: 'failed', lastError: 'Interrupted: the helper stopped during a sync; it is synced again now.', nextSyncAt: 0 });
    }
  }
}

/**
 * The cheap check between syncs: do the mirror's branches and tags equal the primary's right
 * now? One ref listing from the primary, no transfer; a difference makes the scheduler sync.
 */
export async function isConsistent(mirror: LocalMirror, deps: CacheDeps, signal: AbortSignal): Promise<boolean> {
  if (!mirror.primaryCloneUrl) return false;
  const credentials = await deps.credentials.forPrimary(mirror.primaryBaseUrl, { named: true });
  const { ca } = await deps.clientOptions();
  const [primary, local] = await Promise.all([
    listRemoteRefs({ url: mirror.primaryCloneUrl, auth: remoteAuthFor(credentials), signal, ca, timeoutMs: 30_000 }),
    listLocalRefs(mirror.path, ['refs/heads', 'refs/tags'], { signal }),
  ]);
  return [...primary].every(([ref, oid]) => ref.endsWith('^{}') || !(ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/')) || local.get(ref) === oid);
}

/**
 * Keeps the cache within its disk quota: the least recently used local mirrors (by the last
 * clone that borrowed from them, else when they were added) are removed until it fits. The one
 * just added or synced is kept, even alone over the quota: removing it at once would be useless.
 */
export async function enforceQuota(quotaBytes: number | undefined, keep: string, deps: Pick<CacheDeps, 'store' | 'dataDir'>): Promise<string[]> {
  if (quotaBytes === undefined) return [];
  const mirrors = await Promise.all(deps.store.list().map(async (mirror) => ({ mirror, size: await directorySize(mirror.path) })));
  let total = mirrors.reduce((sum, entry) => sum + entry.size, 0);
  const candidates = mirrors.filter((entry) => entry.mirror.id !== keep).sort((a, b) => (a.mirror.lastUsedAt ?? Date.parse(a.mirror.addedAt)) - (b.mirror.lastUsedAt ?? Date.parse(b.mirror.addedAt)));
  const evicted: string[] = [];
  for (const entry of candidates) {
    if (total <= quotaBytes) break;
    await removeLocalMirror(entry.mirror.id, deps as CacheDeps);
    total -= entry.size;
    evicted.push(entry.mirror.id);
  }
  return evicted;
}
