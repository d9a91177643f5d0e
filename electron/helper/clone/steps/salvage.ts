/**
 * What a cut fetch received is kept: git leaves the pack it was receiving in
 * `objects/pack/tmp_pack_*`, and its whole objects (pack-prefix.ts) become a pack of the clone.
 * The partial file goes either way, so a folder never keeps one.
 *
 * Only the clone's own fetches write there: its temporary folder is the clone's alone, and at its
 * destination the clone holds the folder while its history arrives (ready-to-work.ts).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { GitCommandOptions } from '../../git/arguments';
import { indexPackFromStream } from '../../git/index-pack';
import { packOfPrefix, scanPackPrefix, type PackPrefix } from '../../git/pack-prefix';

export interface Salvaged {
  /** Whole objects kept. */
  objects: number;
  /** Their bytes as they came over the link. */
  bytes: number;
  /** Most of their content came as deltas (see mostlyDeltasShare). */
  mostlyDeltas: boolean;
}

/**
 * Above this share of the objects' content coming as deltas, what is missing, asked for by id,
 * comes back whole: a request by id names no path, so the server cannot match a blob with the
 * client's version of the same file. Measured on a text-like history (71% of its blobs deltas):
 * completed by id, a cut at 40% of the clone cost 1.57x the pack, at 90% 1.31x; a binary history,
 * whose only deltas are trees, 1.14x and 1.01x.
 */
export const mostlyDeltasShare = 0.5;

async function partialPacks(repository: string): Promise<string[]> {
  const folder = path.join(repository, '.git', 'objects', 'pack');
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith('tmp_pack_')).map((name) => path.join(folder, name));
}

/**
 * Looks at the partial packs in `repository` and keeps their whole objects when `keep` says so,
 * given what they hold; the partial files go either way. Answers what was found, kept or not.
 */
export async function salvagePartialPacks(
  repository: string,
  git: GitCommandOptions & { signal: AbortSignal },
  keep: (found: Salvaged) => boolean,
  /** How far the look is, in bytes of all the partial packs (reading a big one takes a while). */
  onProgress?: (done: number, total: number) => void,
): Promise<Salvaged & { kept: boolean }> {
  const files = await partialPacks(repository);
  const sizes = await Promise.all(files.map((file) => stat(file).then((found) => found.size, () => 0)));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const found: { file: string; prefix: PackPrefix }[] = [];
  let before = 0;
  for (const [index, file] of files.entries()) {
    found.push({ file, prefix: await scanPackPrefix(file, { signal: git.signal, onScanned: (bytes) => onProgress?.(before + bytes, total) }) });
    before += sizes[index]!;
  }
  const content = found.reduce((sum, { prefix }) => sum + prefix.contentBytes, 0);
  const deltaContent = found.reduce((sum, { prefix }) => sum + prefix.deltaContentBytes, 0);
  const salvaged: Salvaged = {
    objects: found.reduce((sum, { prefix }) => sum + prefix.objects, 0),
    bytes: found.reduce((sum, { prefix }) => sum + prefix.end, 0),
    mostlyDeltas: content > 0 && deltaContent / content > mostlyDeltasShare,
  };
  const kept = salvaged.objects > 0 && keep(salvaged);
  for (const { file, prefix } of found) {
    if (kept && prefix.objects > 0) await indexPackFromStream(repository, packOfPrefix(file, prefix), git);
    await rm(file, { force: true });
  }
  return { ...salvaged, kept };
}
