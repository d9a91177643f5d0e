/**
 * Moves an existing clone to the server that is closest from here now: measure again from the
 * clone's primary (or reuse a measurement as recent as the caller allows), point
 * `remote.origin.url` at the new choice (the push URL stays on the primary), fetch, and top up
 * from the primary. If the new server cannot be fetched from, the
 * clone is put back exactly as it was.
 */
import { ContractError, type SwitchResult } from '../../../shared/contract';
import { checkCloneUrl } from '../../../shared/git-url-safety';
import type { DiscoveryService } from '../discovery/service';
import type { ClonesStore } from '../store/clones-store';
import { fetchRemote } from '../git/fetch';
import { getRemoteUrls, setRemoteUrl } from '../git/remote';
import { configureCredentialHelper } from './credential-config';
import { readIdentity, writeIdentity } from './identity';
import { listPrimaryRefs } from '../transfer/primary-refs';
import { orderSources } from '../transfer/sources';
import { topUpFromPrimary } from './top-up';
import { transferEnvironment } from '../transfer/transfer-env';
import { describeSourceFailure } from '../transfer/source-failure';
import { GitError } from '../git/runner';
import { measureTransfer, type ThroughputRecording } from '../transfer/measure-transfer';
import { fetchLargeFiles } from '../lfs/large-files';
import { historyPendingAt } from './steps/resume-marker';

/** `throughput`: where the fetch from the new server and the top-up record how fast they went. */
export interface SwitchDeps extends ThroughputRecording {
  discovery: DiscoveryService;
  dataDir: string;
  knownHostsFile?: string;
  clones: ClonesStore;
  credentialHelperCommand: string;
}

/**
 * `maxAgeMs`: the oldest measurement of this network that may be reused. A switch the user asked
 * for passes a short one; background moves (warm clones) leave it out and take what the
 * measurement cache keeps.
 */
export async function switchClone(params: { path: string; source: string; refresh?: boolean; maxAgeMs?: number }, deps: SwitchDeps, signal: AbortSignal): Promise<SwitchResult> {
  const identity = await readIdentity(params.path, signal).catch(() => undefined);
  if (!identity) {
    throw new ContractError('NOT_FOUND', `${params.path} is not a clone made by mirror-clone.`, { hint: 'Clone the repository with mirror-clone, or choose the folder of such a clone.' });
  }
  // Its history is still arriving (or stopped part-way): finishing it chooses the closest server anyway.
  if (await historyPendingAt(params.path)) {
    throw new ContractError('CONFLICT', `${params.path} is ready to work, but its history is not complete yet.`, { hint: 'Let it finish (or finish it: the same clone to the same folder), then switch.' });
  }
  const before = await getRemoteUrls(params.path, 'origin', { signal });
  const currentUrl = checkCloneUrl(before.fetch ?? '');
  const protocol = currentUrl.ok ? currentUrl.protocol : 'http';

  const repository = `${identity.primaryBaseUrl}/projects/${encodeURIComponent(identity.projectKey)}/repos/${encodeURIComponent(identity.slug)}`;
  // A server named for the switch needs no ranking: only 'auto' measures every candidate.
  const namedSource = params.source === 'auto' ? undefined : params.source;
  const { result: discovery, credentials, found, ca } = await deps.discovery.discover({ repository, primary: identity.primaryBaseUrl, refresh: params.refresh, maxAgeMs: params.maxAgeMs }, signal, { namedSource });
  const { sources, reason } = orderSources(discovery, { protocol, choice: params.source });
  const target = sources[0]!;
  const primaryUrl = discovery.repository.cloneUrls[protocol];
  if (!primaryUrl) throw new ContractError('NOT_FOUND', 'The primary no longer offers this repository over the same protocol.');

  const { env, vouchedUrls, sendsTokenTo } = await transferEnvironment({ credentials, found, ca }, { protocol, dataDir: deps.dataDir, knownHostsFile: deps.knownHostsFile });
  const changed = before.fetch !== target.url;

  if (changed) {
    await setRemoteUrl(params.path, 'origin', target.url, { signal });
    try {
      const measure = measureTransfer(target.url, deps);
      await fetchRemote({ repository: params.path, remote: 'origin', env, signal, onProgress: measure.onProgress });
      await measure.record();
    } catch (error) {
      await setRemoteUrl(params.path, 'origin', before.fetch!, {});
      // A hand-added mirror asked without the token: say why, and how to allow it.
      const anonymous = protocol === 'http' && credentials !== undefined && !sendsTokenTo(target.url);
      if (anonymous && error instanceof GitError && error.kind === 'auth-failed') {
        throw new ContractError('UNAUTHORIZED', describeSourceFailure(error, { source: target, primaryHost: new URL(identity.primaryBaseUrl).host, anonymous }), { cause: error });
      }
      throw error;
    }
  }
  if (!before.push) await setRemoteUrl(params.path, 'origin', primaryUrl, { push: true, signal });
  if (protocol === 'http') await configureCredentialHelper(params.path, vouchedUrls, deps.credentialHelperCommand, signal);
  const primaryRefs = await listPrimaryRefs({ url: primaryUrl, protocol, credentials, env, signal, ca });
  const { toppedUp } = await topUpFromPrimary({ repository: params.path, primaryUrl, primaryRefs, env, signal, recording: deps });
  // Large files now come from the new server too, and those of a fast-forwarded commit are fetched.
  const largeFiles = await fetchLargeFiles({ repository: params.path, discovery, served: target, protocol, env, vouchedUrls, credentialHelperCommand: deps.credentialHelperCommand, onProgress: () => {}, signal });
  await writeIdentity(params.path, { ...identity, repositoryId: discovery.repository.id, sourceId: target.id, sourceName: target.name }, signal);

  const known = deps.clones.get(params.path);
  // Spread first: what the user chose for the clone (kept warm) survives the switch.
  deps.clones.put({
    ...known,
    path: params.path,
    primaryBaseUrl: identity.primaryBaseUrl,
    projectKey: identity.projectKey,
    slug: identity.slug,
    repositoryId: discovery.repository.id,
    source: { id: target.id, name: target.name },
    fetchUrl: target.url,
    pushUrl: before.push ?? primaryUrl,
    clonedAt: known?.clonedAt ?? new Date().toISOString(),
    reason,
  });
  return { path: params.path, from: { name: identity.sourceName, url: before.fetch ?? '' }, to: target, changed, toppedUpFromPrimary: toppedUp, reason, ...(largeFiles ? { largeFiles } : {}) };
}
