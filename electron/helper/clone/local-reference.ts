/**
 * The local mirror a clone borrows objects from (`--reference`, then `--dissociate`, so the clone
 * never depends on it): only one that is ready and still on disk. Using it marks it recently used,
 * which keeps it from being the first the quota removes.
 */
import { existsSync } from 'node:fs';
import type { LocalMirrorsStore } from '../store/local-mirrors-store';

export function localReference(store: LocalMirrorsStore | undefined, id: string): string | undefined {
  const local = store?.get(id);
  if (!local || local.state !== 'ready' || !existsSync(local.path)) return undefined;
  store!.update(local.id, (mirror) => ({ ...mirror, lastUsedAt: Date.now() }));
  return local.path;
}
