/**
 * The clones this helper made or switched, so the UI can list them with their mirror and
 * primary, and "switch all" knows where they are. The clone's own git config is the source of
 * truth (see clone/identity.ts); this list is an index of paths.
 */
import Conf from 'conf';
import { knownCloneSchema, type KnownClone } from '../../../shared/contract';

export interface ClonesStore {
  list(): KnownClone[];
  get(path: string): KnownClone | undefined;
  put(clone: KnownClone): void;
  remove(path: string): void;
}

export function createClonesStore(dataDir: string): ClonesStore {
  const conf = new Conf<{ clones: unknown[] }>({ cwd: dataDir, configName: 'clones', projectName: 'mirror-clone', defaults: { clones: [] } });
  const read = () => conf.get('clones').flatMap((entry) => {
    const parsed = knownCloneSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  return {
    list: read,
    get: (path) => read().find((clone) => clone.path === path),
    put(clone) {
      conf.set('clones', [...read().filter((existing) => existing.path !== clone.path), clone]);
    },
    remove(path) {
      conf.set('clones', read().filter((existing) => existing.path !== path));
    },
  };
}
