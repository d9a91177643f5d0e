/**
 * One batch, start to finish: leave alone what is already there, choose how many run at once
 * (concurrency.ts, unless the caller said; with nothing known of the link, after one clone ran
 * alone to measure it), then keep that many clone jobs going:
 * each repository is an ordinary clone job (its own closest source, its own card, cancel and
 * retry), and a failure ends that repository only. One overall progress is published as
 * `clone.batch` events: on every start and end, and while bytes move, twice a second at most.
 */
import { randomUUID } from 'node:crypto';
import { maxBatchJobs, type ContractError, type BatchItem, type CloneBatch, type CloneJob } from '../../../../shared/contract';
import type { EventSink } from '../../rpc/dispatcher';
import type { ClonesStore } from '../../store/clones-store';
import type { DiscoveryService } from '../../discovery/service';
import type { CloneJobs } from '../jobs';
import { createFolder } from '../destination';
import { cloneAlreadyThere } from './already-there';
import { chooseConcurrency } from './concurrency';
import { figuresAfter, figuresBefore, unknownFigures, type Discover } from './link-figures';
import { runPool } from './pool';
import { adaptiveLimit, type AdaptiveLimit } from './adaptive-limit';
import type { BatchStartParams, BatchTarget } from './resolve-list';
import { totalsOf, type RateSample } from './totals';

export interface BatchRunDeps {
  jobs: Pick<CloneJobs, 'start' | 'settled' | 'cancel' | 'list'>;
  clones: Pick<ClonesStore, 'get'>;
  discovery: Pick<DiscoveryService, 'discover'>;
  emit: EventSink;
  /** How often bytes in flight are published; default 500 ms. */
  progressIntervalMs?: number;
}

export interface RunningBatch {
  readonly batchId: string;
  snapshot(): CloneBatch;
  cancel(): boolean;
  /** Resolves once every repository has ended. */
  readonly done: Promise<CloneBatch>;
}

/** Already-there checks read a little git config each; a few at a time is plenty. */
const checksAtOnce = 4;

export async function startBatch(params: BatchStartParams, targets: BatchTarget[], deps: BatchRunDeps): Promise<RunningBatch> {
  const batchId = randomUUID();
  // Made as the clone panel's "Create folder" makes one: a full path only (a relative one would
  // land wherever the helper happens to run), and a folder that cannot be made refuses the batch.
  const parentDirectory = await createFolder(params.parentDirectory);
  const controller = new AbortController();
  const started = performance.now();
  const samples: RateSample[] = [];
  const items: BatchItem[] = targets.map((target) => ({ repository: target.label, path: target.path, state: 'waiting', alreadyThere: false }));
  await runPool(
    targets.map((target, index) => ({ target, index })),
    {
      limit: () => checksAtOnce,
      work: async ({ target, index }) => {
        if (await cloneAlreadyThere(target, deps.clones)) items[index] = { ...items[index]!, state: 'done', alreadyThere: true };
      },
    },
  ).done;

  let batch: CloneBatch = {
    batchId,
    state: 'running',
    parentDirectory,
    layout: params.layout,
    ...(params.primary !== undefined ? { primary: params.primary } : {}),
    protocol: params.protocol,
    concurrency: params.jobs ?? null,
    concurrencyReason: params.jobs ? `${params.jobs} at once, as asked` : 'choosing from the link…',
    items,
    totals: totalsOf(items, samples, 0),
    startedAt: new Date().toISOString(),
  };
  const publish = (patch: Partial<CloneBatch> = {}) => {
    batch = { ...batch, ...patch, items: [...items], totals: totalsOf(items, samples, performance.now() - started) };
    deps.emit('clone.batch', { batch });
  };
  const update = (index: number, patch: Partial<BatchItem>) => {
    items[index] = { ...items[index]!, ...patch };
  };

  const received = new ReceivedBytes();
  /** Bytes of the running clones, read from their jobs (which keep their last progress). */
  const refreshRunning = () => {
    const byId = new Map(deps.jobs.list().map((job) => [job.jobId, job]));
    items.forEach((item, index) => {
      const job = item.state === 'cloning' && item.jobId ? byId.get(item.jobId) : undefined;
      if (job) update(index, fromJob(job, received));
    });
    const sample = { at: performance.now(), bytes: items.reduce((sum, item) => sum + (item.alreadyThere ? 0 : (item.receivedBytes ?? 0)), 0) };
    samples.push(sample);
    while (samples.length > 60) samples.shift();
    adaptive?.sample(sample.bytes, sample.at);
  };
  let adaptive: AdaptiveLimit | undefined;
  const ticker = setInterval(() => {
    refreshRunning();
    publish();
  }, deps.progressIntervalMs ?? 500);
  ticker.unref();

  const cloneOne = async (index: number) => {
    const target = targets[index]!;
    if (controller.signal.aborted) return void update(index, { state: 'cancelled' });
    try {
      await createFolder(target.clone.parentDirectory);
    } catch (error) {
      // createFolder throws only the contract's errors.
      return void update(index, { state: 'failed', error: (error as ContractError).toData() });
    }
    // A cancel that came while the folder was made must not be missed.
    if (controller.signal.aborted) return void update(index, { state: 'cancelled' });
    const jobId = deps.jobs.start(target.clone);
    update(index, { state: 'cloning', jobId });
    publish();
    const job = await deps.jobs.settled(jobId);
    update(index, { ...fromJob(job, received), state: job.state === 'done' ? 'done' : job.state === 'cancelled' ? 'cancelled' : 'failed', ...(job.error ? { error: job.error } : {}) });
    publish();
    return job;
  };

  const cloneAll = async () => {
    let pending = items.flatMap((item, index) => (item.state === 'waiting' ? [index] : []));
    if (params.jobs !== undefined) {
      publish();
      await runPool(pending, { limit: () => params.jobs!, work: (index) => cloneOne(index) }).done;
    } else {
      const discover: Discover = (index) => deps.discovery.discover({ repository: targets[index]!.clone.repository, primary: targets[index]!.clone.primary }, controller.signal);
      let figures = pending.length > 1 ? await figuresBefore(discover, pending[0]) : unknownFigures;
      if (figures.bytesPerSecond === null && pending.length > 1) {
        // Nothing known of this link: one clone alone measures it (transfers that overlap are
        // not recorded, see transfer/measure-transfer.ts), then the rest go as it says.
        publish({ concurrency: 1, concurrencyReason: 'one alone first, to measure the link' });
        const scout = await cloneOne(pending[0]!);
        pending = pending.slice(1);
        figures = await figuresAfter(discover, pending[0], scout);
      }
      const choice = chooseConcurrency(figures, pending.length);
      adaptive = adaptiveLimit({ initial: choice.jobs, cap: Math.min(maxBatchJobs, pending.length), singleRate: figures.bytesPerSecond });
      publish({ concurrency: choice.jobs, concurrencyReason: choice.reason });
      const raised = () => {
        refreshRunning();
        if (!adaptive!.finished(performance.now())) return;
        const jobs = adaptive!.limit();
        publish({ concurrency: jobs, concurrencyReason: `${jobs} at once: more at once moved more bytes per second than ${jobs - 1} (first ${choice.reason})` });
      };
      await runPool(pending, { limit: () => adaptive!.limit(), work: (index) => cloneOne(index), staggerMs: choice.staggerMs, onFinished: raised }).done;
    }
  };
  const run = async (): Promise<CloneBatch> => {
    let failure: unknown;
    await cloneAll().catch((error: unknown) => (failure = error));
    clearInterval(ticker);
    refreshRunning();
    // Whatever stopped the batch early leaves no repository looking as if it were still going.
    const unfinished: Partial<BatchItem> = controller.signal.aborted || failure === undefined ? { state: 'cancelled' } : { state: 'failed', error: { code: 'INTERNAL', message: `The batch stopped: ${String(failure)}` } };
    items.forEach((item, index) => {
      if (item.state === 'cloning' && item.jobId) deps.jobs.cancel(item.jobId);
      if (item.state === 'waiting' || item.state === 'cloning') update(index, unfinished);
    });
    publish({ state: controller.signal.aborted ? 'cancelled' : 'done', finishedAt: new Date().toISOString() });
    return batch;
  };
  const done = run();

  return {
    batchId,
    snapshot: () => batch,
    cancel() {
      if (batch.finishedAt) return false;
      controller.abort();
      for (const item of items) if (item.state === 'cloning' && item.jobId) deps.jobs.cancel(item.jobId);
      return true;
    },
    done,
  };
}

/**
 * The bytes a job has received so far. Its progress counts git's bytes, then, in the large-files
 * phase, only the large files' bytes: git's last count is kept (by job) and added to those.
 */
export class ReceivedBytes {
  private readonly gitBytes = new Map<string, number>();

  of(job: CloneJob): number | undefined {
    const progress = job.progress;
    if (progress?.receivedBytes === undefined) return undefined;
    if (progress.phase === 'large-files') return (this.gitBytes.get(job.jobId) ?? 0) + progress.receivedBytes;
    this.gitBytes.set(job.jobId, progress.receivedBytes);
    return progress.receivedBytes;
  }
}

function fromJob(job: CloneJob, received: ReceivedBytes): Partial<BatchItem> {
  const receivedBytes = received.of(job);
  return {
    ...(job.source ? { source: { name: job.source.name, kind: job.source.kind } } : {}),
    ...(receivedBytes !== undefined ? { receivedBytes } : {}),
    ...(job.expectedBytes !== undefined ? { expectedBytes: job.expectedBytes } : {}),
    ...(job.result ? { durationMs: job.result.durationMs } : {}),
  };
}
