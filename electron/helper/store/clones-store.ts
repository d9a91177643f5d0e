/**
 * The clones this helper made or switched, so the UI can list them with their mirror and
 * primary, and "switch all" knows where they are. The clone's own git config is the source of
 * truth (see clone/identity.ts); this list is an index of paths.
 */
import { knownCloneSchema, type KnownClone } from '../../../shared/contract';
import { createListStore, type ListStore } from './list-store';

export type ClonesStore = ListStore<KnownClone>;

export function createClonesStore(dataDir: string): ClonesStore {
  return createListStore({ dataDir, name: 'clones', schema: knownCloneSchema, keyOf: (clone) => clone.path });
}
