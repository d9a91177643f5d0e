/**
 * A clone's head start: the transfer begins at once from the server the last discovery for the
 * same primary chose on this network (discovery/source-memory.ts), while this clone's own
 * discovery asks the far primary in parallel. When the primary's answers agree, the bytes already
 * received are kept; when they do not (the mirror does not hold this repository, it is out of
 * sync, or another source is clearly quicker now), the head start is stopped, its temporary
 * folder removed, and the clone goes on from the sources discovery ordered.
 *
 * Only over HTTP(S): an SSH clone first checks every server's host key against what the primary
 * says, which needs the primary's answer.
 */
import type { CloneSource, DiscoveryResult } from '../../../shared/contract';
import { chooseCloneEngine } from '../git/engine';
import { localMirrorId } from '../cache/local-mirrors';
import { transferEnvironment } from '../transfer/transfer-env';
import { transferLimitBytes } from '../transfer/transfer-budget';
import { discardTemporary, intendedDestination, planDestination, type PlannedDestination } from './destination';
import { resumableClones } from './steps/resume-marker';
import { attemptTransfer, type AttemptOutcome } from './transfer-attempt';
import { localReference } from './local-reference';
import type { CloneDeps, CloneParams, CloneReporter } from './run-clone';

export interface HeadStartTransfer {
  source: CloneSource;
  /** The folder name it was planned with (the slug the reference named). */
  folderName: string;
  planned: PlannedDestination;
  outcome: Promise<AttemptOutcome>;
  /** Tells the running transfer the repository's size, once discovery has said (for its progress). */
  learnSize(bytes: number | null): void;
  /** Stops the transfer and removes what it wrote. */
  stop(): Promise<void>;
}

/** Another source must be expected to be this much quicker before a running head start is given up. */
const worthSwitching = 1.1;

export async function startHeadStart(params: CloneParams, deps: CloneDeps, reporter: CloneReporter, signal: AbortSignal): Promise<HeadStartTransfer | undefined> {
  if (params.source !== 'auto' || params.protocol !== 'http') return undefined;
  const head = await deps.discovery.headStart({ repository: params.repository, primary: params.primary }, 'http').catch(() => undefined);
  if (!head) return undefined;
  const folderName = params.folderName ?? head.slug;
  // A clone that stopped part-way there is continued once discovery has answered, not raced by a fresh one.
  const destination = intendedDestination(params.parentDirectory, folderName);
  if (destination && (await resumableClones(destination)).length > 0) return undefined;
  // A destination problem is reported by the clone itself, once discovery has answered, in its usual words.
  const planned = await planDestination(params.parentDirectory, folderName).catch(() => undefined);
  if (!planned) return undefined;
  const { env, sendsTokenTo } = await transferEnvironment(
    { credentials: head.credentials, found: [{ sendsToken: head.sendsToken, cloneUrls: { http: head.source.url } }], ca: head.ca },
    { protocol: 'http', dataDir: deps.dataDir, knownHostsFile: deps.knownHostsFile },
  );
  const reference = localReference(deps.localMirrors, localMirrorId(head.primaryBaseUrl, head.projectKey, head.slug));
  let learnSize: (bytes: number | null) => void = () => {};
  const size = new Promise<number | null>((resolve) => (learnSize = resolve));
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  reporter.planned?.(planned);
  const outcome = attemptTransfer(
    head.source,
    1,
    {
      planned,
      env,
      engine: chooseCloneEngine({ protocol: 'http', gitBinary: await deps.gitBinary() }),
      reference,
      credentials: head.credentials,
      sendsTokenTo,
      protocol: 'http',
      depth: params.depth,
      branch: params.branch,
      expectedBytes: size,
      limitBytes: transferLimitBytes(null, deps.maxTransferBytes?.()),
      sizeKnown: false,
      primaryHost: new URL(head.primaryBaseUrl).host,
      recording: deps,
      reporter,
    },
    stop.signal,
  ).finally(() => signal.removeEventListener('abort', onAbort));
  return {
    source: head.source,
    folderName,
    planned,
    outcome,
    learnSize,
    async stop() {
      learnSize(null);
      stop.abort();
      await outcome;
      await discardTemporary(planned);
    },
  };
}

/** Whether discovery's answer lets the head start go on. */
export function keepsHeadStart(result: DiscoveryResult, source: CloneSource, protocol: 'http' | 'ssh'): boolean {
  const row = result.candidates.find((candidate) => candidate.id === source.id);
  if (!row || row.cloneUrls[protocol] !== source.url) return false;
  if (row.status !== 'healthy' && row.status !== 'behind') return false;
  if (result.chosen === source.id) return true;
  // The bytes received so far would be thrown away: only a clear gain is worth it.
  const chosen = result.candidates.find((candidate) => candidate.chosen);
  return chosen?.expectedMs != null && row.expectedMs != null && row.expectedMs <= chosen.expectedMs * worthSwitching;
}
