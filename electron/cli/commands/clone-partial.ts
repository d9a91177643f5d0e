/**
 * `mirror-clone clone --discard-partial`: a clone into the same folder that stopped part-way is
 * continued by default (the helper finds its resumable temporary folder beside the destination);
 * this removes such folders first, so the clone starts from nothing. Only folders carrying the
 * resumable note of a clone to exactly this destination are touched.
 */
import { rm } from 'node:fs/promises';
import { parseRepositoryReference } from '../../../shared/repository-reference';
import { intendedDestination } from '../../helper/clone/destination';
import { resumableClones } from '../../helper/clone/steps/resume-marker';

/**
 * Where the clone will go, as the helper will name it: the folder given, or the repository's slug
 * in the working folder (none when the reference names no repository).
 */
export function destinationsOf(repository: string, parentDirectory: string, folderName: string | undefined): string[] {
  const parsed = parseRepositoryReference(repository);
  const name = folderName ?? (parsed.ok ? parsed.reference.slug : undefined);
  const destination = name === undefined ? undefined : intendedDestination(parentDirectory, name);
  return destination ? [destination] : [];
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
