/**
 * Where a clone goes. The folder name comes from the repository slug but can never escape the
 * chosen parent folder; an existing non-empty destination, a missing or unwritable parent are
 * refused (and said beside the field before a clone starts); the clone is made in a
 * hidden temporary sibling and renamed into place only when complete, so a cancelled or failed
 * clone leaves nothing at the destination.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ContractError, type DestinationCheck } from '../../../shared/contract';

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

/** The nearest folder on the way up that exists (a file there means no folder can be made below it). */
async function nearestExisting(target: string): Promise<{ path: string; isDirectory: boolean }> {
  for (let current = target; ; current = path.dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    if (info) return { path: current, isDirectory: info.isDirectory() };
    if (path.dirname(current) === current) return { path: current, isDirectory: false };
  }
}

/**
 * Whether the helper can create entries in `folder`, asked of the kernel without writing
 * anything: a check runs as the user types, and a helper stopped in the middle of a trial write
 * would leave a stray entry in the user's folder. access(W_OK) also answers for root, which
 * ignores permission bits but not an immutable folder (EPERM) or a read-only mount (EROFS).
 */
async function canWriteIn(folder: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await access(folder, constants.W_OK);
    return { ok: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'EROFS' ? 'is on a read-only disk' : 'cannot be written to' };
  }
}

export interface DestinationCheckOptions {
  /** Whether `destination` holds a clone of the repository about to be cloned (one the helper made). */
  isSameRepository?(destination: string): boolean;
  /** Whether the clone at `destination` still waits for part of its history (a clone to it finishes it). */
  isHistoryPending?(destination: string): Promise<boolean>;
}

/**
 * Every rule for where a clone may go, as a verdict rather than an error, so the clone panel can
 * say it beside the field as the user types; `planDestination` turns a bad verdict into the error.
 */
export async function checkDestination(parent: string, requestedName: string, options: DestinationCheckOptions = {}): Promise<DestinationCheck> {
  const trimmedParent = parent.trim();
  if (!trimmedParent) return { state: 'invalid', message: 'Choose the parent folder to clone into.' };
  if (!path.isAbsolute(trimmedParent)) return { state: 'invalid', message: `The parent folder must be a full path (starting with ${path.sep === '/' ? '/' : 'a drive letter'}), not "${trimmedParent}".` };
  const parentPath = path.resolve(trimmedParent);
  let name: string;
  try {
    name = folderNameFor(requestedName);
  } catch (error) {
    return { state: 'invalid', message: (error as Error).message };
  }
  const destination = path.resolve(parentPath, name);
  if (path.dirname(destination) !== parentPath) return { state: 'invalid', message: `"${requestedName}" would put the clone outside ${parentPath}.` };

  const existing = await nearestExisting(parentPath);
  if (!existing.isDirectory) {
    return { state: 'not-writable', path: destination, message: existing.path === parentPath ? `${parentPath} is a file, not a folder.` : `${existing.path} is a file, so no folder can be made inside it.` };
  }
  if (existing.path !== parentPath) {
    const writable = await canWriteIn(existing.path);
    if (!writable.ok) return { state: 'not-writable', path: destination, message: `${parentPath} does not exist, and ${existing.path} ${writable.reason}.` };
    return { state: 'parent-missing', path: destination, parent: parentPath };
  }
  const there = await stat(destination).catch(() => undefined);
  const emptyFolder = Boolean(there?.isDirectory()) && (await isEmptyDirectory(destination));
  if (there && !emptyFolder) {
    const sameRepository = options.isSameRepository?.(destination) ?? false;
    const historyPending = sameRepository && options.isHistoryPending ? await options.isHistoryPending(destination) : false;
    return { state: 'exists', path: destination, sameRepository, ...(historyPending ? { historyPending } : {}) };
  }
  const writable = await canWriteIn(parentPath);
  if (!writable.ok) return { state: 'not-writable', path: destination, message: `${parentPath} ${writable.reason}.` };
  return { state: 'ok', path: destination, emptyFolder };
}

/** `reuseTemporary`: the temporary folder of a clone to this destination that is being continued. */
export async function planDestination(parent: string, requestedName: string, reuseTemporary?: string): Promise<PlannedDestination> {
  const check = await checkDestination(parent, requestedName);
  switch (check.state) {
    case 'invalid':
      throw new ContractError('INVALID_PARAMS', check.message, { hint: 'Choose a full path for the parent folder and a folder name for the clone.' });
    case 'parent-missing':
      throw new ContractError('NOT_FOUND', `The folder ${check.parent} does not exist.`, { hint: 'Create it, or choose an existing folder to clone into.' });
    case 'not-writable':
      throw new ContractError('FORBIDDEN', check.message, { hint: 'Choose a folder you can write to.' });
    case 'exists':
      throw new ContractError('CONFLICT', `${check.path} already exists and is not empty.`, { hint: 'Choose another folder or name; mirror-clone never clones over existing files.' });
    case 'ok': {
      if (reuseTemporary !== undefined && path.dirname(path.resolve(reuseTemporary)) === path.dirname(check.path)) return { path: check.path, temporaryPath: path.resolve(reuseTemporary) };
      const temporaryPath = path.join(path.dirname(check.path), `.${path.basename(check.path)}.mirror-clone-${randomBytes(4).toString('hex')}`);
      return { path: check.path, temporaryPath };
    }
  }
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

/** Creates a parent folder the user asked for, with the folders above it; answers with its full path. */
export async function createFolder(folder: string): Promise<string> {
  const trimmed = folder.trim();
  if (!path.isAbsolute(trimmed)) throw new ContractError('INVALID_PARAMS', `Only a full path can be created, not "${trimmed}".`);
  const target = path.resolve(trimmed);
  const existing = await nearestExisting(target);
  if (!existing.isDirectory) throw new ContractError('FORBIDDEN', `${existing.path} is a file, so ${target} cannot be made.`, { hint: 'Choose another folder.' });
  try {
    await mkdir(target, { recursive: true });
  } catch (error) {
    throw new ContractError('FORBIDDEN', `${target} could not be created: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { hint: 'Choose a folder you can write to.', cause: error });
  }
  return target;
}
