/**
 * Whether a finished clone of a repository is already where a batch would put it, so a second
 * run leaves it alone and transfers nothing for it. The helper's clones list answers first; a
 * clone made by another installation (another data folder) is still recognised by the identity
 * it carries in its own git config (clone/identity.ts), written before the clone was moved into
 * place, so a folder that has it holds a clone: a complete one unless it still carries the
 * resumable note of a clone ready to work early (steps/resume-marker.ts).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ClonesStore } from '../../store/clones-store';
import { readIdentity, sameRepository } from '../identity';
import { historyPendingAt } from '../steps/resume-marker';

export interface RepositoryAt {
  path: string;
  primaryBaseUrl: string;
  projectKey: string;
  slug: string;
}

export async function cloneAlreadyThere(target: RepositoryAt, clones: Pick<ClonesStore, 'get'>, signal?: AbortSignal): Promise<boolean> {
  // Ready to work but its history not complete: cloning it again there finishes it.
  if (await historyPendingAt(target.path)) return false;
  const known = clones.get(target.path);
  if (known && sameRepository(known, target)) return (await stat(target.path).catch(() => undefined))?.isDirectory() === true;
  // Only a folder with its own .git is asked: git would otherwise answer for a repository above it.
  const gitDir = await stat(path.join(target.path, '.git')).catch(() => undefined);
  if (!gitDir) return false;
  const identity = await readIdentity(target.path, signal).catch(() => undefined);
  return identity !== undefined && sameRepository(identity, target);
}
