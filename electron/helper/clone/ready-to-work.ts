/**
 * Ready to work early, for a clone made in steps: once the newest commit of the default branch is
 * on disk and checked out, the clone gets what a finished one has (push URL, identity, credential
 * helper, its large files) and is moved to its destination, where the user can open it. The rest
 * of the history arrives there in the background, touching only refs/remotes and objects.
 *
 * Until it is complete the clone carries its resumable note (steps/resume-marker.ts) and is listed
 * with `historyPending`; at the end the note goes, and the checked-out branch is only ever
 * fast-forwarded, and only when its tree is clean.
 */
import path from 'node:path';
import { ContractError, type CloneSource, type KnownClone } from '../../../shared/contract';
import { addConfigEntries, type ConfigEntry } from '../git/config-entries';
import { currentBranch } from '../git/refs';
import { fastForwardCurrentBranch, type FastForwardResult } from '../git/fast-forward';
import type { ClonesStore } from '../store/clones-store';
import { commitDestination, type PlannedDestination } from './destination';
import type { CloneReporter } from './run-clone';
import type { ClonePlace } from './steps/stepped-attempt';

export interface ReadyToWork {
  planned: PlannedDestination;
  place: ClonePlace;
  /** What a finished clone's config holds for this source: push URL, identity, credential helper. */
  configEntries(source: CloneSource): ConfigEntry[];
  /** The large files of the checked-out commit, fetched before the folder is handed over. */
  fetchLargeFiles(repository: string, source: CloneSource): Promise<void>;
  /** The clone as the Local clones list keeps it. */
  knownClone(source: CloneSource): KnownClone;
  clones: Pick<ClonesStore, 'put'>;
  reporter: CloneReporter;
  /** When the clone started (performance.now()), for the time to ready. */
  started: number;
  signal: AbortSignal;
  /** Set once the clone holds its folder (claimFolder): lets go of it when the clone ends. */
  release?: () => void;
}

/** Folders whose history a clone of this helper is fetching now. */
const claimed = new Set<string>();

/**
 * Holds a clone's destination while its history arrives there: a second clone finishing the same
 * folder at the same time would fight the first for git's locks. Answers how to let go.
 */
export function claimFolder(folder: string): () => void {
  const key = path.resolve(folder);
  if (claimed.has(key)) {
    throw new ContractError('CONFLICT', `The history of ${folder} is being completed by a clone that is running now.`, { hint: 'Wait for it to finish, or stop it first.' });
  }
  claimed.add(key);
  return () => claimed.delete(key);
}

/** Makes the clone in `place` ready to work at its destination; answers that folder. */
export async function becomeReady(ready: ReadyToWork, source: CloneSource): Promise<string> {
  const repository = ready.place.repository;
  await addConfigEntries(repository, ready.configEntries(source), ready.signal);
  await ready.fetchLargeFiles(repository, source);
  if (ready.signal.aborted) throw new ContractError('CANCELLED', 'The clone was cancelled.');
  await commitDestination(ready.planned);
  ready.release = claimFolder(ready.planned.path);
  ready.place.repository = ready.planned.path;
  ready.place.atDestination = true;
  ready.clones.put({ ...ready.knownClone(source), historyPending: true });
  announceReady(ready);
  return ready.planned.path;
}

/** Tells the reporter the work tree is ready (now, or for a clone found ready at its destination). */
export function announceReady(ready: Pick<ReadyToWork, 'planned' | 'reporter' | 'started'>): void {
  ready.reporter.ready?.({ path: ready.planned.path, afterMs: Math.round(performance.now() - ready.started) });
}

/**
 * The checked-out branch brought up to its remote branch at the end, as a plain clone would have
 * it: only by fast-forward, and never over uncommitted changes or the user's own commits.
 */
export async function fastForwardWhenClean(repository: string, env: Record<string, string>, signal: AbortSignal): Promise<FastForwardResult | undefined> {
  const branch = await currentBranch(repository, { signal });
  if (!branch) return undefined;
  return fastForwardCurrentBranch(repository, `refs/remotes/origin/${branch}`, signal, { env });
}
