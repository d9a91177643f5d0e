/**
 * A note in the data folder of every clone that is running, so a helper that died mid-clone
 * (crashed, killed, the machine slept badly) can, when it starts again, remove the half-made
 * temporary folder (or keep it, when it is a stepped clone that can continue: steps/) and start
 * that clone once more under the same job id. A clone that ends in
 * any way, including a cancel or a normal shutdown, is crossed off.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { cloneStartParamsSchema } from '../../../shared/contract';
import { createListStore, type ListStore } from '../store/list-store';
import { readResumeMarker } from './steps/resume-marker';

export const journalEntrySchema = z.object({
  jobId: z.string(),
  params: cloneStartParamsSchema,
  startedAt: z.string(),
  /** The helper process running it: another helper still alive keeps its own jobs. */
  pid: z.number().int(),
  /** How many times it was started again after a helper stopped under it. */
  resumes: z.number().int().min(0),
  /** The folder the clone goes to, and the hidden sibling git is cloning into, once planned. */
  destination: z.string().optional(),
  temporaryPath: z.string().optional(),
});

export type JournalEntry = z.infer<typeof journalEntrySchema>;
export type JobJournal = ListStore<JournalEntry>;

export function createJobJournal(dataDir: string): JobJournal {
  return createListStore({ dataDir, name: 'running-clones', schema: journalEntrySchema, keyOf: (entry) => entry.jobId });
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Entries whose helper is gone: this process's own predecessors, not a helper still running. */
export function interruptedEntries(journal: JobJournal, isAlive: (pid: number) => boolean = processIsAlive): JournalEntry[] {
  return journal.list().filter((entry) => entry.pid === process.pid || !isAlive(entry.pid));
}

/**
 * Removes an interrupted clone's temporary folder, but only when it is exactly what the clone
 * planned: a hidden `.<name>.mirror-clone-<hex>` directly inside the parent folder it was given.
 * A journal edited by hand must never point the helper at the user's files.
 */
export async function discardInterruptedTemporary(entry: JournalEntry): Promise<void> {
  if (!entry.temporaryPath) return;
  const temporary = path.resolve(entry.temporaryPath);
  const isOurs = path.dirname(temporary) === path.resolve(entry.params.parentDirectory) && /^\.[^/\\]+\.mirror-clone-[0-9a-f]{8}$/.test(path.basename(temporary));
  // A stepped clone's folder with its note is kept: the clone, started again, continues from it.
  if (isOurs && !(await readResumeMarker(temporary))) await rm(temporary, { recursive: true, force: true, maxRetries: 3 });
}
