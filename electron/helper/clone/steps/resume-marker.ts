/**
 * The note inside the temporary folder of a clone made in steps: which repository it is, where it
 * is going, and the steps complete so far. A folder with this note can be continued (after a cut,
 * a helper restart, or `mirror-clone clone` run again); without it, a temporary folder is
 * half-made and is removed. It lives in `.git/`, so it never shows in the work tree.
 *
 * A clone that became ready to work (ready-clone.ts) is moved to its destination with its note,
 * and the history arrives there; the note is removed only when the clone is complete. So a folder
 * at its destination that still carries the note is a clone in progress, or stopped part-way
 * (shallow), never a finished one.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const markerName = 'mirror-clone-resumable.json';

const resumeMarkerSchema = z.object({
  format: z.literal(1),
  repository: z.object({ primaryBaseUrl: z.string(), projectKey: z.string(), slug: z.string() }),
  /** The final folder the clone is going to. */
  destination: z.string(),
  /** The branch the clone checks out (the server's HEAD when it started). */
  defaultBranch: z.string().optional(),
  /** Bytes received by the complete steps, for one progress across breaks. */
  receivedBytes: z.number().min(0),
  /** The repository's expected size, for the same. */
  expectedBytes: z.number().min(0).nullable(),
  /** The last deepen step: how many commits it asked for and how many bytes it brought. */
  lastDeepen: z.object({ commits: z.number().int().min(1), bytes: z.number().min(0) }).optional(),
  stepsDone: z.number().int().min(0),
  /**
   * The server's branches and tags (lsRemote's map) when the history fetch began: after a cut, the
   * clone is completed to these from what arrived (complete-what-arrived.ts).
   */
  historyRefs: z.record(z.string(), z.string()).optional(),
  /** Whole objects kept from cut fetches (salvage.ts) so far: the clone holds part of its history. */
  keptObjects: z.number().int().min(0).optional(),
  /** What was kept came mostly as deltas: missing trees are asked for by id too (complete-what-arrived.ts). */
  keptMostlyDeltas: z.boolean().optional(),
  /**
   * Why the history comes in deepen steps, newest first, rather than in one fetch: the server would
   * not send objects by id ('refused'), what a cut fetch brought was mostly deltas, which asked for
   * by id would come whole ('deltas'), or a transfer broke on this network lately ('network').
   */
  deepenSteps: z.enum(['refused', 'deltas', 'network']).optional(),
  /** All history, branches and tags are in; only the finishing touches remain. */
  complete: z.boolean(),
  updatedAt: z.string(),
});

export type ResumeMarker = z.infer<typeof resumeMarkerSchema>;
export type RepositoryKey = ResumeMarker['repository'];

const markerPath = (temporaryPath: string) => path.join(temporaryPath, '.git', markerName);

export async function readResumeMarker(temporaryPath: string): Promise<ResumeMarker | undefined> {
  const text = await readFile(markerPath(temporaryPath), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = resumeMarkerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written through a file of its own and renamed, so a crash never leaves half a note. */
export async function writeResumeMarker(temporaryPath: string, marker: Omit<ResumeMarker, 'updatedAt' | 'format'>): Promise<void> {
  const target = markerPath(temporaryPath);
  const scratch = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(scratch, `${JSON.stringify({ format: 1, ...marker, updatedAt: new Date().toISOString() })}\n`, { mode: 0o600 });
  await rename(scratch, target);
}

export async function removeResumeMarker(temporaryPath: string): Promise<void> {
  await rm(markerPath(temporaryPath), { force: true });
}


/** The temporary siblings a clone to `destination` may have left: `.<name>.mirror-clone-<hex>`. */
async function temporarySiblings(destination: string): Promise<string[]> {
  const parent = path.dirname(destination);
  const prefix = `.${path.basename(destination)}.mirror-clone-`;
  const entries = await readdir(parent).catch(() => [] as string[]);
  return entries.filter((name) => name.startsWith(prefix) && /^[0-9a-f]{8}$/.test(name.slice(prefix.length))).map((name) => path.join(parent, name));
}

export interface ResumableClone {
  temporaryPath: string;
  marker: ResumeMarker;
}

/**
 * The clone at `destination` itself when it is ready to work but not complete: its note names this
 * very folder. Never a candidate for removal: the folder is the user's now.
 */
export async function unfinishedCloneAt(destination: string): Promise<ResumableClone | undefined> {
  const marker = await readResumeMarker(destination);
  if (!marker || path.resolve(marker.destination) !== path.resolve(destination)) return undefined;
  return { temporaryPath: path.resolve(destination), marker };
}

/** Whether the clone at `clonePath` is still waiting for part of its history (see unfinishedCloneAt). */
export async function historyPendingAt(clonePath: string): Promise<boolean> {
  return (await unfinishedCloneAt(clonePath)) !== undefined;
}

/** The resumable clones waiting beside `destination`, newest first (not one at the destination itself). */
export async function resumableClones(destination: string): Promise<ResumableClone[]> {
  const found: ResumableClone[] = [];
  for (const temporaryPath of await temporarySiblings(destination)) {
    const marker = await readResumeMarker(temporaryPath);
    if (marker && path.resolve(marker.destination) === path.resolve(destination)) found.push({ temporaryPath, marker });
  }
  return found.sort((a, b) => b.marker.updatedAt.localeCompare(a.marker.updatedAt));
}
