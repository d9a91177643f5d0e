/**
 * What a cut fetch received is kept: git leaves the pack it was receiving in
 * `objects/pack/tmp_pack_*`, and its whole objects (pack-prefix.ts) become a pack of the clone.
 * The partial file goes either way, so a folder never keeps one.
 *
 * Only the clone's own fetches write there: its temporary folder is the clone's alone, and at its
 * destination the clone holds the folder while its history arrives (ready-to-work.ts).
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { GitCommandOptions } from '../../git/arguments';
import { indexPackFromStream } from '../../git/index-pack';
import { packOfPrefix, scanPackPrefix } from '../../git/pack-prefix';

export interface Salvaged {
  /** Whole objects kept. */
  objects: number;
  /** Their bytes as they came over the link. */
  bytes: number;
  /**
   * The whole objects that arrived were mostly deltas, and none was kept: asked for again by id,
   * the rest would lose its delta bases (a request by id names no path, so the server cannot
   * match a blob with the client's version of the same file) and come whole, several times the bytes.
   */
  mostlyDeltas: boolean;
}

/**
 * Above this share of the objects' content coming as deltas, what arrived is not worth completing
 * by id (measured: a text-like history, 71% of its blobs deltas, came back at 1.3x to 1.6x the
 * pack; a binary one, whose only deltas are some trees, at 1.0x to 1.1x).
 */
export const mostlyDeltasShare = 0.5;

async function partialPacks(repository: string): Promise<string[]> {
  const folder = path.join(repository, '.git', 'objects', 'pack');
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith('tmp_pack_')).map((name) => path.join(folder, name));
}

/** Keeps the whole objects of every partial pack in `repository`; `keep: false` only removes them. */
export async function salvagePartialPacks(repository: string, git: GitCommandOptions & { signal: AbortSignal }, keep = true): Promise<Salvaged> {
  const salvaged: Salvaged = { objects: 0, bytes: 0, mostlyDeltas: false };
  for (const file of await partialPacks(repository)) {
    if (keep) {
      const prefix = await scanPackPrefix(file, { signal: git.signal });
      if (prefix.contentBytes > 0 && prefix.deltaContentBytes / prefix.contentBytes > mostlyDeltasShare) salvaged.mostlyDeltas = true;
      else if (prefix.objects > 0) {
        await indexPackFromStream(repository, packOfPrefix(file, prefix), git);
        salvaged.objects += prefix.objects;
        salvaged.bytes += prefix.end;
      }
    }
    await rm(file, { force: true });
  }
  return salvaged;
}
