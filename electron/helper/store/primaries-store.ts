/**
 * The primaries the user has connected, and per primary the mirrors added by hand and a pinned
 * choice. Kept with `conf` (atomic writes) in the helper's data folder. No secrets here: those
 * are in the keychain, keyed by the primary's base URL.
 */
import { z } from 'zod';
import { manualMirrorSchema } from '../../../shared/contract/domains/primaries';
import { createListStore, type ListStore } from './list-store';

export const storedPrimarySchema = z.object({
  baseUrl: z.string(),
  name: z.string(),
  version: z.string().optional(),
  authKind: z.enum(['token', 'password']),
  username: z.string().optional(),
  addedAt: z.string(),
  /** The SSH host and port the primary advertises, to recognise its ssh:// clone URLs. */
  ssh: z.object({ host: z.string(), port: z.number().optional() }).optional(),
  manualMirrors: z.array(manualMirrorSchema).default([]),
  /** Mirrors the primary advertised at the last discovery: lets a pasted mirror URL find its primary. */
  knownMirrors: z.array(z.object({ id: z.string(), name: z.string(), baseUrl: z.string(), sshHost: z.string().optional(), disabled: z.boolean().optional() })).default([]),
  /** A candidate id chosen by the user for every repository of this primary, when it is usable. */
  pinnedCandidate: z.string().optional(),
});

export type StoredPrimary = z.infer<typeof storedPrimarySchema>;
export type ManualMirror = z.infer<typeof manualMirrorSchema>;

export type PrimariesStore = ListStore<StoredPrimary>;

export function createPrimariesStore(dataDir: string): PrimariesStore {
  return createListStore({ dataDir, name: 'primaries', schema: storedPrimarySchema, keyOf: (primary) => primary.baseUrl });
}
