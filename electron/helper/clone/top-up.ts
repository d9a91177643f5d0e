/**
 * Mirrors lag. After a clone or fetch from a mirror, the primary's refs are compared with the
 * clone's `refs/remotes/origin/*` and tags, and whatever differs is fetched from the primary
 * itself, so `origin/*` is never behind the primary. The checked-out branch is then fast-
 * forwarded (only ever fast-forwarded: local work is never touched).
 */
import { fetchRemote } from '../git/fetch';
import { listLocalRefs, currentBranch } from '../git/refs';
import { fastForwardCurrentBranch } from '../git/fast-forward';
import type { RemoteRefs } from '../git/remote-refs';
import { measureTransfer, type ThroughputRecording } from '../transfer/measure-transfer';

export interface TopUpOptions {
  repository: string;
  /** The primary's clone URL for the clone's protocol. */
  primaryUrl: string;
  /** The primary's refs, listed just now. */
  primaryRefs: RemoteRefs;
  env: Record<string, string>;
  signal?: AbortSignal;
  /** false: only remote-tracking refs and tags move; the working tree is not touched (background fetches). */
  updateBranch?: boolean;
  /** Where the fetch from the primary records its throughput. */
  recording?: ThroughputRecording;
}

export interface TopUpResult {
  /** Refs fetched from the primary because the mirror lacked them or had them older. */
  toppedUp: string[];
  /** Set when the checked-out branch could not be fast-forwarded (e.g. local commits). */
  branchNotUpdated?: string;
}

export async function topUpFromPrimary(options: TopUpOptions): Promise<TopUpResult> {
  const local = await listLocalRefs(options.repository, ['refs/remotes/origin', 'refs/tags'], { signal: options.signal });
  const refspecs: string[] = [];
  const toppedUp: string[] = [];
  for (const [ref, oid] of options.primaryRefs) {
    if (ref.startsWith('refs/heads/')) {
      const tracking = `refs/remotes/origin/${ref.slice('refs/heads/'.length)}`;
      if (local.get(tracking) !== oid) {
        refspecs.push(`+${ref}:${tracking}`);
        toppedUp.push(ref);
      }
    } else if (ref.startsWith('refs/tags/') && !ref.endsWith('^{}') && local.get(ref) !== oid) {
      refspecs.push(`+${ref}:${ref}`);
      toppedUp.push(ref);
    }
  }
  if (refspecs.length === 0) return { toppedUp };

  const measure = measureTransfer(options.primaryUrl, options.recording ?? {});
  await fetchRemote({ repository: options.repository, remote: options.primaryUrl, refspecs, env: options.env, signal: options.signal, onProgress: measure.onProgress });
  await measure.record();

  if (options.updateBranch === false) return { toppedUp };
  const branch = await currentBranch(options.repository, { signal: options.signal });
  if (!branch || !toppedUp.includes(`refs/heads/${branch}`)) return { toppedUp };
  // The transfer environment checks Git LFS files out as pointers (git-lfs is not started here;
  // the clone's LFS phase fetches their contents, from the clone's source and with its credentials).
  const forwarded = await fastForwardCurrentBranch(options.repository, `refs/remotes/origin/${branch}`, options.signal, { env: options.env });
  return forwarded.ok ? { toppedUp } : { toppedUp, branchNotUpdated: forwarded.reason };
}
