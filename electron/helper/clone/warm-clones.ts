/**
 * Keeps the user's clones warm, for those they opt in: on the cache's schedule (with jitter) each
 * is fetched from its mirror and topped up from the primary, so `origin/*` is fresh when the user
 * next looks. Only remote-tracking refs and tags move: the working tree and the checked-out
 * branch are never touched. Authentication goes through the clone's own credential helper.
 *
 * After a move to another network the next round, started at once, switches each warm clone to
 * the mirror closest from the new place instead (the same fetch and top-up, from the new
 * server). Nothing needs measuring afresh on purpose: measurements are kept per network, so the
 * first clone measures the new place and the others of the same primary reuse it. Clones that
 * are not warm are left to the user, who is told about the move.
 */
import { ContractError, type KnownClone } from '../../../shared/contract';
import { fetchRemote } from '../git/fetch';
import { getRemoteUrls } from '../git/remote';
import { listRemoteRefs } from '../git/remote-refs';
import { checkCloneUrl } from '../../../shared/git-url-safety';
import type { ClonesStore } from '../store/clones-store';
import type { CredentialSource } from '../primaries/credentials';
import { remoteAuthFor } from '../transfer/primary-refs';
import { topUpFromPrimary } from './top-up';
import { readIdentity } from './identity';
import { switchClone, type SwitchDeps } from './switch-clone';
import type { SwitchResult } from '../../../shared/contract';
import { measureTransfer, type ThroughputRecording } from '../transfer/measure-transfer';
import { historyPendingAt } from './steps/resume-marker';

/** `throughput`: where each fetch and top-up records how fast its server delivered. */
export interface WarmClonesDeps extends ThroughputRecording {
  clones: ClonesStore;
  credentials: CredentialSource;
  clientOptions(): Promise<{ ca?: string | Buffer }>;
  /** What switching needs; without it a network move changes nothing here. */
  switching?: SwitchDeps;
  onSwitched?(result: SwitchResult): void;
}

export interface WarmClones {
  /** The machine is on another network now: switch the warm clones on a round that starts now. */
  networkMoved(): void;
  stop(): Promise<void>;
}

export async function warmClone(clone: KnownClone, deps: WarmClonesDeps, signal: AbortSignal): Promise<void> {
  const identity = await readIdentity(clone.path, signal).catch(() => undefined);
  if (!identity) throw new ContractError('NOT_FOUND', `${clone.path} is no longer a clone made by mirror-clone.`);
  const { fetch, push } = await getRemoteUrls(clone.path, 'origin', { signal });
  const measure = measureTransfer(fetch ?? '', deps);
  await fetchRemote({ repository: clone.path, remote: 'origin', env: {}, signal, onProgress: measure.onProgress });
  await measure.record();
  const primary = checkCloneUrl(push ?? '');
  if (!primary.ok || primary.protocol !== 'http') return; // SSH: the fetch above is what we can do in the background
  const credentials = await deps.credentials.forPrimary(identity.primaryBaseUrl);
  const { ca } = await deps.clientOptions();
  const primaryRefs = await listRemoteRefs({ url: primary.url, auth: remoteAuthFor(credentials), signal, ca, timeoutMs: 30_000 });
  await topUpFromPrimary({ repository: clone.path, primaryUrl: primary.url, primaryRefs, env: {}, signal, updateBranch: false, recording: deps });
}

export function startWarmClones(deps: WarmClonesDeps, options: { periodMs?: number; jitter?: number; random?: () => number } = {}): WarmClones {
  const periodMs = options.periodMs ?? 5 * 60_000;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let switchDue = false;

  const refreshOne = async (clone: KnownClone, switching: boolean) => {
    if (switching && deps.switching) {
      const result = await switchClone({ path: clone.path, source: 'auto' }, deps.switching, controller.signal);
      deps.onSwitched?.(result);
    } else {
      await warmClone(clone, deps, controller.signal);
    }
  };
  const round = async () => {
    const switching = switchDue;
    switchDue = false;
    for (const clone of deps.clones.list().filter((entry) => entry.warm)) {
      if (controller.signal.aborted) return;
      // A clone whose history is still coming is fetched by its own steps, not here.
      if (await historyPendingAt(clone.path)) continue;
      try {
        await refreshOne(clone, switching);
        const current = deps.clones.get(clone.path);
        if (current) deps.clones.put({ ...current, lastWarmAt: new Date().toISOString(), lastWarmError: undefined });
      } catch (error) {
        if (controller.signal.aborted) return;
        const current = deps.clones.get(clone.path);
        if (current) deps.clones.put({ ...current, lastWarmError: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  const schedule = (delayMs = Math.round(periodMs * (1 - jitter + 2 * jitter * random()))) => {
    if (controller.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = round().finally(() => {
        running = undefined;
        // A move noticed during the round gets a round of its own straight away.
        schedule(switchDue ? 0 : undefined);
      });
    }, delayMs);
  };
  schedule();
  return {
    networkMoved() {
      switchDue = true;
      if (!running) schedule(0);
    },
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
