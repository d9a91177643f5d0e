/**
 * A list of records kept with `conf` (atomic writes) in the helper's data folder, one key field
 * identifying each. Entries that no longer parse (an older version, a hand edit) are skipped
 * rather than crashing the helper; a file that is not JSON at all is set aside (conf-file.ts).
 */
import { openConfFile } from './conf-file';
import type { z } from 'zod';

export interface ListStore<T> {
  list(): T[];
  get(key: string): T | undefined;
  put(record: T): void;
  /** Changes the stored record from its current state (not a snapshot read earlier). */
  update(key: string, change: (record: T) => T): T | undefined;
  remove(key: string): boolean;
}

export interface ListStoreOptions<S extends z.ZodType> {
  dataDir: string;
  name: string;
  schema: S;
  keyOf(record: z.output<S>): string;
  /** Keep at most this many records: a put beyond it drops the oldest (a log, not an index). */
  keepLast?: number;
}

export function createListStore<S extends z.ZodType>(options: ListStoreOptions<S>): ListStore<z.output<S>> {
  type Record = z.output<S>;
  const conf = openConfFile<{ entries: unknown[] }>(options.dataDir, options.name, { entries: [] });
  const read = (): Record[] => {
    const entries: unknown = conf.get('entries');
    // A file that parses but is not a list (a hand edit) reads as empty rather than crashing.
    return (Array.isArray(entries) ? entries : []).flatMap((entry) => {
      const parsed = options.schema.safeParse(entry);
      return parsed.success ? [parsed.data as Record] : [];
    });
  };
  return {
    list: read,
    get: (key) => read().find((record) => options.keyOf(record) === key),
    put(record) {
      const next = [...read().filter((existing) => options.keyOf(existing) !== options.keyOf(record)), record];
      conf.set('entries', options.keepLast === undefined ? next : next.slice(-options.keepLast));
    },
    update(key, change) {
      const current = read();
      const index = current.findIndex((record) => options.keyOf(record) === key);
      if (index < 0) return undefined;
      const next = change(current[index]!);
      current[index] = next;
      conf.set('entries', current);
      return next;
    },
    remove(key) {
      const current = read();
      conf.set('entries', current.filter((record) => options.keyOf(record) !== key));
      return current.some((record) => options.keyOf(record) === key);
    },
  };
}
