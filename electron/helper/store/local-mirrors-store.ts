/** The local mirrors the helper keeps, persisted with `conf` so a restart knows them. */
import Conf from 'conf';
import { localMirrorSchema, type LocalMirror } from '../../../shared/contract';

export interface LocalMirrorsStore {
  list(): LocalMirror[];
  get(id: string): LocalMirror | undefined;
  put(mirror: LocalMirror): void;
  remove(id: string): boolean;
}

export function createLocalMirrorsStore(dataDir: string): LocalMirrorsStore {
  const conf = new Conf<{ mirrors: unknown[] }>({ cwd: dataDir, configName: 'local-mirrors', projectName: 'mirror-clone', defaults: { mirrors: [] } });
  const read = () => conf.get('mirrors').flatMap((entry) => {
    const parsed = localMirrorSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  return {
    list: read,
    get: (id) => read().find((mirror) => mirror.id === id),
    put(mirror) {
      conf.set('mirrors', [...read().filter((existing) => existing.id !== mirror.id), mirror]);
    },
    remove(id) {
      const current = read();
      conf.set('mirrors', current.filter((mirror) => mirror.id !== id));
      return current.some((mirror) => mirror.id === id);
    },
  };
}
