/** `cache.*` methods: local mirrors kept by the helper. */
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import { addLocalMirror, directorySize, removeLocalMirror, syncLocalMirror, type CacheDeps } from './local-mirrors';
import { serveLocalMirrors, type MirrorServer } from './serve';

export interface CacheService {
  handlers: Pick<Handlers, 'cache.add' | 'cache.list' | 'cache.sync' | 'cache.remove' | 'cache.serve'>;
  stop(): Promise<void>;
}

export function createCacheService(deps: CacheDeps): CacheService {
  let serving: Promise<MirrorServer> | undefined;
  const handlers: CacheService['handlers'] = {
    'cache.serve': async ({ port }) => {
      serving ??= serveLocalMirrors({ store: deps.store, dataDir: deps.dataDir, port });
      const server = await serving;
      return { port: server.port, mirrors: deps.store.list().map((mirror) => ({ id: mirror.id, url: server.urlFor(mirror) })) };
    },
    'cache.add': (params, { signal }) => addLocalMirror(params, deps, signal),
    'cache.list': () => Promise.all(deps.store.list().map(async (mirror) => ({ ...mirror, sizeBytes: await directorySize(mirror.path) }))),
    'cache.sync': async ({ id }, { signal }) => {
      const mirrors = id ? [deps.store.get(id)] : deps.store.list();
      if (id && !mirrors[0]) throw new ContractError('NOT_FOUND', `No local mirror ${id}.`);
      const results = [];
      for (const mirror of mirrors) {
        try {
          results.push(await syncLocalMirror(mirror!, deps, signal));
        } catch (error) {
          if (signal.aborted) throw error;
          results.push(deps.store.get(mirror!.id)!);
        }
      }
      return results;
    },
    'cache.remove': async ({ id }) => ({ removed: await removeLocalMirror(id, deps) }),
  };
  return {
    handlers,
    async stop() {
      await (await serving?.catch(() => undefined))?.stop();
    },
  };
}
