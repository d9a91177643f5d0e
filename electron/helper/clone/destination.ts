/**
 * Where a clone goes. The folder name comes from the repository slug but can never escape the
 * chosen parent folder; an existing non-empty destination is refused; the clone is made in a
 * hidden temporary sibling and renamed into place only when complete, so a cancelled or failed
 * clone leaves nothing at the destination.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ContractError } from '../../../shared/contract';

export interface PlannedDestination {
  /** The final folder. */
  path: string;
  /** Where git clones to; same parent, so the final rename is atomic on one file system. */
  temporaryPath: string;
}

/** A folder name a slug may safely become; throws when nothing sensible is left. */
export function folderNameFor(requested: string): string {
  const name = requested
    .normalize('NFC')
    .replace(/\.git$/i, '')
    // Path separators and characters some file systems refuse; control characters too.
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-')
    .replace(/^[.\-\s]+/, '')
    .trim();
  if (!name || name === '.' || name === '..') {
    throw new ContractError('INVALID_PARAMS', `"${requested}" cannot be used as a folder name.`, { hint: 'Choose a folder name for the clone.' });
  }
  return name.slice(0, 200);
}

async function isEmptyDirectory(target: string): Promise<boolean> {
  const entries = await readdir(target).catch(() => undefined);
  return entries !== undefined && entries.length === 0;
}

/** Where a clone of `requestedName` into `parent` would go, or undefined when planDestination would refuse the name. */
export function intendedDestination(parent: string, requestedName: string): string | undefined {
  if (!path.isAbsolute(parent)) return undefined;
  try {
    return path.resolve(path.resolve(parent), folderNameFor(requestedName));
  } catch {
    return undefined;
  }
}

/** Whether something other than an empty folder is at `target` (a clone there would be refused). */
export async function destinationTaken(target: string): Promise<boolean> {
  const existing = await stat(target).catch(() => undefined);
  return existing !== undefined && !(existing.isDirectory() && (await isEmptyDirectory(target)));
}

export async function planDestination(parent: string, requestedName: string): Promise<PlannedDestination> {
  if (!path.isAbsolute(parent)) throw new ContractError('INVALID_PARAMS', `The destination folder must be an absolute path, not "${parent}".`);
  const parentPath = path.resolve(parent);
  const parentInfo = await stat(parentPath).catch(() => undefined);
  if (!parentInfo?.isDirectory()) {
    throw new ContractError('NOT_FOUND', `The folder ${parentPath} does not exist.`, { hint: 'Choose an existing folder to clone into.' });
  }
  const name = folderNameFor(requestedName);
  const destination = path.resolve(parentPath, name);
  if (path.dirname(destination) !== parentPath) {
    throw new ContractError('INVALID_PARAMS', `"${requestedName}" would put the clone outside ${parentPath}.`);
  }
  if (await destinationTaken(destination)) {
    throw new ContractError('CONFLICT', `${destination} already exists and is not empty.`, { hint: 'Choose another folder or name; mirror-clone never clones over existing files.' });
  }
  const temporaryPath = path.join(parentPath, `.${name}.mirror-clone-${randomBytes(4).toString('hex')}`);
  return { path: destination, temporaryPath };
}

/** Moves a finished clone into place. An empty folder the user made beforehand is replaced. */
export async function commitDestination(planned: PlannedDestination): Promise<void> {
  if (await isEmptyDirectory(planned.path)) await rmdir(planned.path);
  try {
    await rename(planned.temporaryPath, planned.path);
  } catch (error) {
    throw new ContractError('CONFLICT', `The clone could not be moved to ${planned.path}: ${(error as Error).message}`, { cause: error });
  }
}

export async function discardTemporary(planned: PlannedDestination): Promise<void> {
  await rm(planned.temporaryPath, { recursive: true, force: true, maxRetries: 3 });
}

export async function ensureParent(parent: string): Promise<void> {
  await mkdir(parent, { recursive: true });
}
