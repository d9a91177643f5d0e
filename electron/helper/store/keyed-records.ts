/**
 * A small map of records kept in one conf file in the data folder (in memory only without one),
 * for the helper's memories that outlive a process: how long mirrors have lagged, which server
 * each primary's last discovery chose. Every record is parsed with the caller's schema as it is
 * read; whatever does not parse is dropped, never trusted.
 */
import type { z } from 'zod';
import { openConfFile } from './conf-file';

export interface KeyedRecords<Record> {
  all(): { [key: string]: Record };
  /** Writes only when something changed. */
  replace(records: { [key: string]: Record }): void;
}

export function openKeyedRecords<Record>(dataDir: string | undefined, name: string, schema: z.ZodType<Record>): KeyedRecords<Record> {
  const file = dataDir ? openConfFile<{ records: { [key: string]: unknown } }>(dataDir, name, { records: {} }) : undefined;
  let inMemory: { [key: string]: unknown } = {};
  const raw = () => (file ? (file.get('records') ?? {}) : inMemory);
  return {
    all() {
      const records: { [key: string]: Record } = {};
      for (const [key, value] of Object.entries(raw())) {
        const parsed = schema.safeParse(value);
        if (parsed.success) records[key] = parsed.data;
      }
      return records;
    },
    replace(records) {
      if (JSON.stringify(records) === JSON.stringify(raw())) return;
      if (file) file.set('records', records);
      else inMemory = records;
    },
  };
}
