/**
 * The primaries the user has connected, and per primary the mirrors added by hand and a pinned
 * choice. Kept with `conf` (atomic writes) in the helper's data folder. No secrets here: those
 * are in the keychain, keyed by the primary's base URL.
 */
import Conf from 'conf';
import { z } from 'zod';
import { manualMirrorSchema } from '../../../shared/contract/domains/primaries';

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
  knownMirrors: z.array(z.object({ id: z.string(), name: z.string(), baseUrl: z.string(), sshHost: z.string().optional() })).default([]),
  /** A candidate id chosen by the user for every repository of this primary, when it is usable. */
  pinnedCandidate: z.string().optional(),
});

export type StoredPrimary = z.infer<typeof storedPrimarySchema>;
export type ManualMirror = z.infer<typeof manualMirrorSchema>;

export interface PrimariesStore {
  list(): StoredPrimary[];
  get(baseUrl: string): StoredPrimary | undefined;
  put(primary: StoredPrimary): void;
  update(baseUrl: string, change: (primary: StoredPrimary) => StoredPrimary): StoredPrimary | undefined;
  remove(baseUrl: string): boolean;
}

export function createPrimariesStore(dataDir: string): PrimariesStore {
  const conf = new Conf<{ primaries: unknown[] }>({
    cwd: dataDir,
    configName: 'primaries',
    projectName: 'mirror-clone',
    defaults: { primaries: [] },
  });
  // A hand-edited or older file must not crash the helper: entries that do not parse are skipped.
  const read = () => conf.get('primaries').flatMap((entry) => {
    const parsed = storedPrimarySchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
  const write = (primaries: StoredPrimary[]) => conf.set('primaries', primaries);
  return {
    list: read,
    get: (baseUrl) => read().find((primary) => primary.baseUrl === baseUrl),
    put(primary) {
      write([...read().filter((existing) => existing.baseUrl !== primary.baseUrl), primary]);
    },
    update(baseUrl, change) {
      const current = read();
      const index = current.findIndex((primary) => primary.baseUrl === baseUrl);
      if (index < 0) return undefined;
      const next = change(current[index]!);
      current[index] = next;
      write(current);
      return next;
    },
    remove(baseUrl) {
      const current = read();
      const next = current.filter((primary) => primary.baseUrl !== baseUrl);
      write(next);
      return next.length !== current.length;
    },
  };
}
