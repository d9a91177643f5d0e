/**
 * What each SSH server accepted, kept with `conf` in the data folder: the last outcome of every
 * key tried on it, and when. A later screen can show "accepted on 3 Nov" without trying again.
 * Entries that do not parse are dropped, never trusted.
 */
import { openConfFile } from '../store/conf-file';
import { z } from 'zod';
import { keyCheckServerSchema, type KeyCheckServer } from '../../../shared/contract/domains/keys';

export interface KeyChecksStore {
  put(server: KeyCheckServer): void;
  get(host: string, port: number): KeyCheckServer | undefined;
  list(): KeyCheckServer[];
}

const storedSchema = z.record(z.string(), z.unknown());

export function createKeyChecksStore(dataDir: string): KeyChecksStore {
  const conf = openConfFile<Record<string, unknown>>(dataDir, 'ssh-key-checks');
  const read = (): Record<string, KeyCheckServer> => {
    // Entry by entry: one damaged (or older-shaped) entry costs only that server's history.
    const stored = storedSchema.safeParse(conf.get('servers') ?? {});
    const servers: Record<string, KeyCheckServer> = {};
    for (const [key, value] of Object.entries(stored.success ? stored.data : {})) {
      const parsed = keyCheckServerSchema.safeParse(value);
      if (parsed.success) servers[key] = parsed.data;
    }
    return servers;
  };
  const keyOf = (host: string, port: number) => `${host}:${port}`;
  return {
    put(server) {
      conf.set('servers', { ...read(), [keyOf(server.host, server.port)]: server });
    },
    get: (host, port) => read()[keyOf(host, port)],
    list: () => Object.values(read()),
  };
}
