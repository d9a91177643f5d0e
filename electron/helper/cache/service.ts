/** `cache.*` methods: local mirrors kept by the helper. */
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import { directorySize } from '../transfer/directory-size';
import { addLocalMirror, enforceQuota, isConsistent, recoverInterrupted, removeLocalMirror, syncLocalMirror, type CacheDeps } from './local-mirrors';
import { createSyncScheduler, type SyncSchedulerOptions } from './scheduler';
import type { EventSink } from '../rpc/dispatcher';
import type { LocalMirror } from '../../../shared/contract';
import { serveLocalMirrors, type MirrorServer } from './serve';
import { ensureServeSecret } from './serve-secret';
import { serveCredentialHelper } from './serve-access';
import type { SecretStore } from '../store/secret-store';
import type { Logger } from '../logger';

export interface CacheService {
  handlers: Pick<Handlers, 'cache.add' | 'cache.list' | 'cache.sync' | 'cache.remove' | 'cache.serve' | 'cache.pause' | 'cache.status'>;
  /** Clears what an interrupted run left, then (with background sync) starts the schedule. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface CacheServiceOptions {
  /** The disk quota for local mirrors, read when one is added (a setting). */
  quotaBytes?(): number | undefined;
  /** Sync local mirrors on a schedule (the app's and `npm run helper`'s helper; not the CLI). */
  background?: Omit<SyncSchedulerOptions, 'store' | 'sync' | 'check' | 'onChange'>;
  emit?: EventSink;
  /** What serving the local mirrors needs: where their secret is kept, and the credential helper git runs to present it. */
  serving?: { secrets: SecretStore; logger: Logger; credentialHelperCommand: string };
  /** Told of every sync that failed (not one stopped by a shutdown or cancel): the activity history keeps them. */
  onSyncFailed?(mirror: LocalMirror, error: unknown, how: { automatic: boolean }): void;
}

export function createCacheService(deps: CacheDeps, options: CacheServiceOptions = {}): CacheService {
  let serving: Promise<MirrorServer> | undefined;
  // One git at a time per mirror: a manual sync and a scheduled one must not collide on locks.
  const busy = new Map<string, Promise<unknown>>();
  const exclusive = <T>(id: string, work: () => Promise<T>): Promise<T> => {
    const next = (busy.get(id) ?? Promise.resolve()).then(work);
    const settled = next.then(() => {}, () => {});
    busy.set(id, settled);
    void settled.then(() => busy.get(id) === settled && busy.delete(id));
    return next;
  };
  // With the size on disk, so a list on screen stays whole from events alone; one at a time, so
  // a slow size reading cannot deliver "syncing" after the "ready" that followed it.
  let announcing = Promise.resolve();
  const announce = (mirror: LocalMirror | undefined) => {
    const emit = options.emit;
    if (!mirror || !emit) return;
    announcing = announcing.then(async () => {
      // Removed meanwhile (a sync it interrupted reports failing): its removal was the last word.
      if (!deps.store.get(mirror.id)) return;
      emit('cache.mirror', { mirror: { ...mirror, sizeBytes: await directorySize(mirror.path) } });
    });
  };
  // In the same queue as the changes, so a removal is never followed by an older "ready".
  const announceRemoved = (id: string, reason: 'removed' | 'quota') => {
    const emit = options.emit;
    if (emit) announcing = announcing.then(() => emit('cache.mirrorRemoved', { id, reason }));
  };
  // The scheduler calls it with two arguments: a sync nobody asked for just now.
  const syncOne = (mirror: LocalMirror, signal: AbortSignal, asked = false) =>
    exclusive(mirror.id, async () => {
      announce({ ...(deps.store.get(mirror.id) ?? mirror), state: 'syncing' });
      try {
        return await syncLocalMirror(mirror, deps, signal);
      } catch (error) {
        if (!signal.aborted && deps.store.get(mirror.id)) options.onSyncFailed?.(mirror, error, { automatic: !asked });
        throw error;
      }
    });
  const check = (mirror: LocalMirror, signal: AbortSignal) => exclusive(mirror.id, () => isConsistent(mirror, deps, signal));
  const scheduler = options.background ? createSyncScheduler({ ...options.background, store: deps.store, sync: syncOne, check, onChange: announce }) : undefined;

  const handlers: CacheService['handlers'] = {
    'cache.status': () => ({ scheduled: scheduler !== undefined, paused: scheduler?.paused ?? false }),
    'cache.pause': ({ paused }) => {
      scheduler?.setPaused(paused);
      return { paused: scheduler?.paused ?? paused };
    },
    'cache.serve': async ({ port }) => {
      const needs = options.serving;
      if (!needs) throw new ContractError('INTERNAL', 'This helper cannot serve local mirrors.');
      serving ??= ensureServeSecret({ secrets: needs.secrets, dataDir: deps.dataDir, logger: needs.logger }).then((secret) =>
        serveLocalMirrors({ store: deps.store, dataDir: deps.dataDir, port, secret, logger: needs.logger }),
      );
      // A failed start (the port is taken) is not remembered: the next call tries again.
      const server = await serving.catch((error: unknown) => {
        serving = undefined;
        throw error;
      });
      return {
        port: server.port,
        mirrors: deps.store.list().map((mirror) => ({ id: mirror.id, url: server.urlFor(mirror) })),
        credentialHelper: serveCredentialHelper(needs.credentialHelperCommand, deps.dataDir),
      };
    },
    'cache.add': async (params, { signal }) => {
      const mirror = await addLocalMirror(params, deps, signal);
      const evicted = await enforceQuota(options.quotaBytes?.(), mirror.id, deps);
      for (const id of evicted) announceRemoved(id, 'quota');
      announce(mirror);
      scheduler?.wake();
      return mirror;
    },
    'cache.list': () => Promise.all(deps.store.list().map(async (mirror) => ({ ...mirror, sizeBytes: await directorySize(mirror.path) }))),
    'cache.sync': async ({ id }, { signal }) => {
      const mirrors = id ? [deps.store.get(id)] : deps.store.list();
      if (id && !mirrors[0]) throw new ContractError('NOT_FOUND', `No local mirror ${id}.`);
      const results = [];
      for (const mirror of mirrors) {
        try {
          await syncOne(mirror!, signal, true);
          scheduler?.recorded(mirror!.id, true);
        } catch (error) {
          if (signal.aborted) throw error;
          scheduler?.recorded(mirror!.id, false);
        }
        const current = deps.store.get(mirror!.id);
        if (!current) continue; // removed while it synced
        results.push(current);
        announce(current);
      }
      return results;
    },
    'cache.remove': async ({ id }) => {
      const removed = await removeLocalMirror(id, deps);
      if (removed) announceRemoved(id, 'removed');
      return { removed };
    },
  };
  return {
    handlers,
    async start() {
      await recoverInterrupted(deps);
      scheduler?.start();
    },
    async stop() {
      await scheduler?.stop();
      await (await serving?.catch(() => undefined))?.stop();
    },
  };
}
