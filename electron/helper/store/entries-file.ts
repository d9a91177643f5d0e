/**
 * A list of records kept as one JSON file (`{ "version": 1, "entries": [...] }`) in the helper's
 * data folder, for caches the helper writes from async code: measurements, throughput figures.
 *
 * Writes go to a temporary file that is then renamed over the old one, so a crash never leaves
 * half a file; writes from this instance are queued one after another, and a read waits for the
 * writes queued before it. The file is read once, at first use; each entry is parsed with the
 * caller's schema and whatever does not parse is dropped, never trusted. Several processes
 * sharing the file: the last writer wins, which for a cache only costs a measurement.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export interface EntriesFile<Entry> {
  /** The entries as last read or written. */
  read(): Promise<Entry[]>;
  /** Replaces the entries with `change(current)` and writes them, after any write already queued. */
  update(change: (current: Entry[]) => Entry[]): Promise<void>;
}

async function readEntries<Entry>(file: string, schema: z.ZodType<Entry>): Promise<Entry[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return []; // missing or not JSON: start empty
  }
  const entries = z.object({ entries: z.array(z.unknown()) }).safeParse(raw);
  if (!entries.success) return [];
  return entries.data.entries.flatMap((item) => {
    const entry = schema.safeParse(item);
    return entry.success ? [entry.data] : [];
  });
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { encoding: 'utf8', mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** `file` undefined: the entries live in memory only, for this process (no data folder to keep them in). */
export function openEntriesFile<Entry>(file: string | undefined, schema: z.ZodType<Entry>): EntriesFile<Entry> {
  let entries: Promise<Entry[]> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const load = () => (entries ??= file ? readEntries(file, schema) : Promise.resolve([]));

  return {
    async read() {
      await writing;
      return load();
    },
    update(change) {
      const next = writing.then(async () => {
        const current = change(await load());
        entries = Promise.resolve(current);
        if (file) await writeAtomically(file, `${JSON.stringify({ version: 1, entries: current }, null, 1)}\n`);
      });
      writing = next.catch(() => {}); // one failed write must not block the ones after it
      return next;
    },
  };
}
