/**
 * `mirror-clone clone --discard-partial`: a clone into the same folder that stopped part-way is
 * continued by default (the helper finds its resumable temporary folder beside the destination);
 * this removes such folders first, so the clone starts from nothing. Only folders carrying the
 * resumable note of a clone to exactly this destination are touched.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { resumableClones } from '../../helper/clone/steps/resume-marker';

/** Where the clone will go: the folder given, or the repository's last path segment in the working folder. */
export function destinationsOf(repository: string, parentDirectory: string, folderName: string | undefined): string[] {
  const names = folderName ? [folderName] : [repository.replace(/\/(browse|\/)*$/, '').split('/').filter(Boolean).at(-1) ?? ''].filter(Boolean);
  return names.map((name) => path.join(parentDirectory, name.replace(/\.git$/i, '')));
}

/** Removes the resumable clones waiting for these destinations; answers the folders removed. */
export async function discardPartialClones(destinations: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const destination of destinations) {
    for (const partial of await resumableClones(destination)) {
      await rm(partial.temporaryPath, { recursive: true, force: true, maxRetries: 3 });
      removed.push(partial.temporaryPath);
    }
  }
  return removed;
}
