/** The local mirrors the helper keeps, persisted so a restart knows them. */
import { localMirrorSchema, type LocalMirror } from '../../../shared/contract';
import { createListStore, type ListStore } from './list-store';

export type LocalMirrorsStore = ListStore<LocalMirror>;

export function createLocalMirrorsStore(dataDir: string): LocalMirrorsStore {
  return createListStore({ dataDir, name: 'local-mirrors', schema: localMirrorSchema, keyOf: (mirror) => mirror.id });
}
