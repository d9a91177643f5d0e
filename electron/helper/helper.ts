/**
 * Builds the helper: its services, wired with their dependencies, behind one dispatcher.
 * Transports (MessagePort, WebSocket, in-process) attach connections to the dispatcher; the
 * services never know which transport carries a request.
 */
import { createDispatcher, type Dispatcher, type EventSink, type Handlers } from './rpc/dispatcher';
import { createHelperService } from './services/helper-service';
import { createSettingsService } from './services/settings-service';
import { createPrimariesService } from './primaries/service';
import { createCredentialSource } from './primaries/credentials';
import { createDiscoveryService, type FreshnessCheck } from './discovery/service';
import { checkFreshness } from './discovery/freshness';
import { createKeychainSecretStore, type SecretStore } from './store/secret-store';
import { createPrimariesStore } from './store/primaries-store';
import { createSettingsStore } from './store/settings-store';
import { ensureDataDir, resolveDataDir } from './home';
import { createLogger, type Logger } from './logger';
import { productVersion } from './version';
import { createConnectionPool } from './net/connection-pool';
import { createBrowseService } from './browse/service';
import { createCacheService, type CacheServiceOptions } from './cache/service';
import { createLocalMirrorsStore } from './store/local-mirrors-store';
import { createClonesStore } from './store/clones-store';
import { createCloneJobs } from './clone/jobs';
import { createJobJournal } from './clone/job-journal';
import { createCloneService } from './clone/service';
import { createBatchService } from './clone/batch/service';
import { startWarmClones } from './clone/warm-clones';
import { credentialHelperCommand } from './transfer/credential-helper-command';
import { createThroughputMemory } from './transfer/throughput-memory';
import type { CloneDeps } from './clone/run-clone';
import { findGit } from './git/runner';
import { defaultKnownHostsFile } from './ssh/host-keys';
import { createMeasurementCache } from './network/measurement-cache';
import { createLagMemory } from './discovery/lag-memory';
import { createSourceMemory } from './discovery/source-memory';
import { createBreakMemory } from './clone/steps/break-memory';
import { createRepositoryIds } from './discovery/repository-ids';
import { createReleaseMemory } from './discovery/release-memory';
import { currentNetworkIdentity, type NetworkIdentity } from './network/network-identity';
import { watchNetwork } from './network/network-watch';
import { createKeysService } from './keys/service';
import { createKeyWritesService } from './keys/write-service';
import { createKeyChecksStore } from './keys/checks-store';
import { createActivityStore } from './store/activity-store';
import { createActivityLog } from './activity/log';
import { createActivityService } from './activity/service';
import { createTeamFileService } from './team-file/service';
import os from 'node:os';
import path from 'node:path';

export interface Helper {
  readonly dispatcher: Dispatcher;
  readonly dataDir: string;
  readonly logger: Logger;
  stop(): Promise<void>;
}

export interface HelperOptions {
  dataDir?: string;
  logger?: Logger;
  secrets?: SecretStore;
  /** MIRROR_CLONE_TOKEN: a Bearer token for the primary a caller names explicitly (CI). */
  environmentToken?: string;
  /** A CA file trusted for this run only, never stored (CLI --ca-file); default MIRROR_CLONE_CA_FILE. */
  extraCaFile?: string;
  freshness?: FreshnessCheck;
  probeTimeoutMs?: number;
  /** How clones made here call us back for credentials (default: this installation's CLI). */
  credentialHelperCommand?: string;
  cloneRetry?: CloneDeps['retry'];
  /** When clones go in steps, and how big (clone/steps/step-plan.ts). */
  cloneSteps?: CloneDeps['steps'];
  /** ssh's known_hosts file (default ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** Keep local mirrors synced on a schedule: for long-running helpers (the app, `npm run helper`). */
  backgroundSync?: CacheServiceOptions['background'];
  /**
   * Note running clones in the data folder and, on start, begin again those a previous helper
   * died under: for the long-running helpers a supervisor restarts (the app, `npm run helper`).
   */
  resumeInterruptedClones?: boolean;
  /** Where the user's SSH key files are (default ~/.ssh). */
  sshFolder?: string;
  /**
   * Where the machine is (default: its network interfaces and gateway), and how often long-running
   * helpers look for a move to another network.
   */
  networkIdentity?: () => Promise<Pick<NetworkIdentity, 'id' | 'prefixCount'>>;
  networkWatch?: { periodMs?: number; settleMs?: number };
  /** The clock that dates kept measurements (epoch ms; default Date.now): tests let time pass. */
  measurementClock?: () => number;
  /** The ssh config file that says how servers are reached (default: ssh's own, ~/.ssh/config). */
  sshConfigFile?: string;
  /** The ssh-agent's socket (default SSH_AUTH_SOCK, read per request); null: no agent. */
  agentSocket?: string | null;
}

export async function createHelper(options: HelperOptions = {}): Promise<Helper> {
  const logger = options.logger ?? createLogger((line) => process.stderr.write(line));
  const dataDir = await ensureDataDir(options.dataDir ?? resolveDataDir(), logger);
  const startedAt = new Date();
  let stopping = false;

  const settings = createSettingsStore(dataDir, { runCaFile: options.extraCaFile ?? (process.env.MIRROR_CLONE_CA_FILE || undefined) });
  const primaries = createPrimariesStore(dataDir);
  const secrets = options.secrets ?? createKeychainSecretStore();
  const credentials = createCredentialSource({
    secrets,
    environmentToken: options.environmentToken ?? (process.env.MIRROR_CLONE_TOKEN || undefined),
  });
  // Read per request (cached by mtime), so a CA file chosen in Settings applies to the next call;
  // the pool keeps connections made under different trusted CAs apart (net/trust.ts).
  const pool = createConnectionPool();
  const clientOptions = async () => ({ ca: await settings.extraCa(), pool });

  // Events are emitted only while requests run, long after `dispatcher` below is assigned.
  const emit: EventSink = (event, payload) => dispatcher.broadcast(event, payload);
  const networkIdentity = options.networkIdentity ?? (() => currentNetworkIdentity());
  // How fast each server delivered here, from every clone, fetch, top-up and sync: one memory per
  // helper, in the data folder (throughput.json). Discovery takes it too, as its `throughput`.
  const throughput = createThroughputMemory({ dataDir, now: options.measurementClock });
  const recording = { throughput, networkIdentity: () => networkIdentity() };
  const discovery = createDiscoveryService({
    primaries,
    credentials,
    clientOptions,
    emit,
    defaultSamples: () => settings.get().probeSamples,
    checkFreshness: options.freshness ?? checkFreshness,
    probeTimeoutMs: options.probeTimeoutMs,
    measurements: createMeasurementCache({ dataDir, now: options.measurementClock }),
    networkIdentity: () => networkIdentity(),
    // The same clock: how long a mirror has lagged is kept measurement.
    throughput,
    lagMemory: createLagMemory({ dataDir, now: options.measurementClock }),
    sourceMemory: createSourceMemory({ dataDir, now: options.measurementClock }),
    repositoryIds: createRepositoryIds({ dataDir }),
    releases: createReleaseMemory({ dataDir }),
  });

  const activity = createActivityLog({ store: createActivityStore(dataDir), emit, logger });
  const clones = createClonesStore(dataDir);
  const localMirrors = createLocalMirrorsStore(dataDir);
  const cloneDeps = {
    discovery,
    dataDir,
    clones,
    credentialHelperCommand: options.credentialHelperCommand ?? credentialHelperCommand(),
    knownHostsFile: options.knownHostsFile ?? defaultKnownHostsFile(),
    localMirrors,
    gitBinary: () => findGit(),
    retry: options.cloneRetry,
    steps: options.cloneSteps,
    breaks: createBreakMemory({ dataDir, now: options.measurementClock }),
    maxTransferBytes: () => settings.get().maxTransferBytes,
    ...recording,
  };
  const jobs = createCloneJobs({
    ...cloneDeps,
    emit,
    logger,
    journal: options.resumeInterruptedClones ? createJobJournal(dataDir) : undefined,
    onEnded: (job) => activity.cloneEnded(job),
  });
  const batches = createBatchService({ primaries, credentials, clientOptions, jobs, clones, discovery, emit });
  const cache = createCacheService(
    { discovery, store: localMirrors, dataDir, credentials, clientOptions, maxTransferBytes: () => settings.get().maxTransferBytes, largeFiles: () => settings.get().localMirrorLargeFiles, ...recording },
    { background: options.backgroundSync, emit, quotaBytes: () => settings.get().cacheQuotaBytes, onSyncFailed: (mirror, error, how) => activity.syncFailed(mirror, error, how),
      serving: { secrets, logger, credentialHelperCommand: cloneDeps.credentialHelperCommand },
    },
  );
  await cache.start();
  // Opt-in background fetches of the user's clones run where local mirrors are synced: in
  // long-running helpers, on the same period.
  const warmClones = options.backgroundSync
    ? startWarmClones(
        {
          clones,
          credentials,
          clientOptions,
          ...recording,
          switching: cloneDeps,
          onSwitched: (result) => {
            emit('clones.switched', { result });
            const known = clones.get(result.path);
            activity.switched(result, { automatic: true, ...(known ? { repository: `${known.projectKey}/${known.slug}`, primaryBaseUrl: known.primaryBaseUrl } : {}) });
          },
        },
        { periodMs: options.backgroundSync.periodMs },
      )
    : undefined;
  // Long-running helpers notice a move to another network: other mirrors may be closest now.
  const network = warmClones
    ? watchNetwork({
        identity: networkIdentity,
        ...options.networkWatch,
        onMove: () => {
          logger.info('the machine moved to another network');
          emit('network.moved', { at: new Date().toISOString() });
          warmClones.networkMoved();
        },
      })
    : undefined;

  const keysDeps = {
    discovery,
    primaries,
    credentials,
    clientOptions,
    knownHostsFile: cloneDeps.knownHostsFile,
    sshFolder: options.sshFolder ?? path.join(os.homedir(), '.ssh'),
    sshConfigFile: options.sshConfigFile,
    agentSocket: () => (options.agentSocket === undefined ? process.env.SSH_AUTH_SOCK || undefined : (options.agentSocket ?? undefined)),
    store: createKeyChecksStore(dataDir),
    secrets,
  };

  const handlers: Handlers = {
    ...createHelperService({ version: productVersion, dataDir, startedAt, isStopping: () => stopping }),
    ...createSettingsService(settings),
    ...createActivityService(activity),
    ...createPrimariesService({ store: primaries, credentials, clientOptions }),
    ...discovery.handlers,
    ...createBrowseService({ credentials, clientOptions, primaries }),
    ...cache.handlers,
    ...createCloneService({ jobs, clones, switching: cloneDeps, knownHostsFile: cloneDeps.knownHostsFile, activity, editor: () => settings.get().editor }),
    ...batches.handlers,
    ...createKeysService(keysDeps).handlers,
    ...createKeyWritesService(keysDeps),
    ...createTeamFileService({ extraCa: () => settings.extraCa() }),
    'network.status': () => {
      const movedAt = network?.lastMoveAt();
      return { watching: network !== undefined, ...(movedAt ? { movedAt: new Date(movedAt).toISOString() } : {}) };
    },
  };
  const dispatcher = createDispatcher(handlers, logger);
  await jobs.resumeInterrupted();

  return {
    dispatcher,
    dataDir,
    logger,
    async stop() {
      if (stopping) return;
      stopping = true;
      dispatcher.broadcast('helper.state', { state: 'stopping' });
      await batches.stopAll();
      await jobs.stopAll();
      discovery.stop();
      await cache.stop();
      network?.stop();
      await warmClones?.stop();
      dispatcher.closeAll();
      pool.destroy();
    },
  };
}
