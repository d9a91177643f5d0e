/** `cache.*` methods: local mirrors kept by the helper. */
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import { addLocalMirror, directorySize, removeLocalMirror, syncLocalMirror, type CacheDeps } from './local-mirrors';

export function createCacheService(deps: CacheDeps): Pick<Handlers, 'cache.add' | 'cache.list' | 'cache.sync' | 'cache.remove'> {
  return {
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
}
