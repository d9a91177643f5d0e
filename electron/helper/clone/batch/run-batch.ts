/**
 * One batch, start to finish: leave alone what is already there, choose how many run at once
 * (clone/batch/concurrency.ts, unless the caller said), then keep that many clone jobs going:
 * each repository is an ordinary clone job (its own closest source, its own card, cancel and
 * retry), and a failure ends that repository only. One overall progress is published as
 * `clone.batch` events: on every start and end, and while bytes move, twice a second at most.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { ContractError, type BatchItem, type CloneBatch, type CloneJob, type DiscoveryResult } from '../../../../shared/contract';
import type { EventSink } from '../../rpc/dispatcher';
import type { ClonesStore } from '../../store/clones-store';
import type { DiscoveryService } from '../../discovery/service';
import type { CloneJobs } from '../jobs';
import { cloneAlreadyThere } from './already-there';
import { chooseConcurrency, figuresFromDiscovery, type LinkFigures } from './concurrency';
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

async function forEachLimited<T>(values: readonly T[], limit: number, work: (value: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const index = next++;
      await work(values[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
}

export async function startBatch(params: BatchStartParams, targets: BatchTarget[], deps: BatchRunDeps): Promise<RunningBatch> {
  const batchId = randomUUID();
  const controller = new AbortController();
  const started = performance.now();
  const samples: RateSample[] = [];
  const items: BatchItem[] = targets.map((target) => ({ repository: target.label, path: target.path, state: 'waiting', alreadyThere: false }));
  await forEachLimited(targets, checksAtOnce, async (target, index) => {
    if (await cloneAlreadyThere(target, deps.clones)) items[index] = { ...items[index]!, state: 'done', alreadyThere: true };
  });
  await mkdir(params.parentDirectory, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new ContractError('FORBIDDEN', `${params.parentDirectory} could not be created: ${error.code ?? error.message}.`, { hint: 'Choose a folder you can write to.' });
  });

  let batch: CloneBatch = {
    batchId,
    state: 'running',
    parentDirectory: params.parentDirectory,
    layout: params.layout,
    concurrency: params.jobs ?? null,
    concurrencyReason: params.jobs ? `${params.jobs} at once, as asked` : 'choosing from the link…',
    items,
    totals: totalsOf(items, samples, 0),
    startedAt: new Date().toISOString(),
  };
  const publish = (patch: Partial<CloneBatch> = {}) => {
    batch = { ...batch, ...patch, items: [...items] };
    batch = { ...batch, totals: totalsOf(items, samples, performance.now() - started) };
    deps.emit('clone.batch', { batch });
  };
  const update = (index: number, patch: Partial<BatchItem>) => {
    items[index] = { ...items[index]!, ...patch };
  };

  /** Bytes of the running clones, read from their jobs (which keep their last progress). */
  const refreshRunning = () => {
    const byId = new Map(deps.jobs.list().map((job) => [job.jobId, job]));
    items.forEach((item, index) => {
      const job = item.state === 'cloning' && item.jobId ? byId.get(item.jobId) : undefined;
      if (job) update(index, fromJob(job));
    });
    samples.push({ at: performance.now(), bytes: items.reduce((sum, item) => sum + (item.alreadyThere ? 0 : (item.receivedBytes ?? 0)), 0) });
    while (samples.length > 60) samples.shift();
  };
  const ticker = setInterval(() => {
    refreshRunning();
    publish();
  }, deps.progressIntervalMs ?? 500);
  ticker.unref();

  const cloneOne = async (index: number) => {
    const target = targets[index]!;
    if (controller.signal.aborted) return void update(index, { state: 'cancelled' });
    try {
      await mkdir(target.clone.parentDirectory, { recursive: true });
    } catch (error) {
      const message = `${target.clone.parentDirectory} could not be created: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`;
      return void update(index, { state: 'failed', error: { code: 'FORBIDDEN', message, hint: 'Choose a folder you can write to.' } });
    }
    const jobId = deps.jobs.start(target.clone);
    update(index, { state: 'cloning', jobId });
    publish();
    const job = await deps.jobs.settled(jobId);
    update(index, { ...fromJob(job), state: job.state === 'done' ? 'done' : job.state === 'cancelled' ? 'cancelled' : 'failed', ...(job.error ? { error: job.error } : {}) });
    publish();
    return job;
  };

  const run = async (): Promise<CloneBatch> => {
    let pending = items.flatMap((item, index) => (item.state === 'waiting' ? [index] : []));
    let jobs = params.jobs;
    if (jobs === undefined) {
      const discover = (index: number) => deps.discovery.discover({ repository: targets[index]!.clone.repository, primary: targets[index]!.clone.primary }, controller.signal);
      let figures = pending.length > 1 ? await figuresBefore(discover, pending[0]!) : unknownFigures;
      if (figures.bytesPerSecond === null && pending.length > 1) {
        // Nothing known of this link: one clone alone measures it (transfers that overlap are
        // not recorded, see transfer/measure-transfer.ts), then the rest go as it says.
        publish({ concurrency: 1, concurrencyReason: 'one alone first, to measure the link' });
        const scout = await cloneOne(pending[0]!);
        pending = pending.slice(1);
        figures = await figuresAfter(discover, pending[0]!, scout);
      }
      const choice = chooseConcurrency(figures, pending.length);
      jobs = choice.jobs;
      publish({ concurrency: choice.jobs, concurrencyReason: choice.reason });
    } else {
      publish();
    }
    await forEachLimited(pending, jobs, (index) => cloneOne(index));
    clearInterval(ticker);
    refreshRunning();
    publish({ state: controller.signal.aborted ? 'cancelled' : 'done', finishedAt: new Date().toISOString() });
    return batch;
  };
  const done = run().finally(() => clearInterval(ticker));

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

function fromJob(job: CloneJob): Partial<BatchItem> {
  return {
    ...(job.source ? { source: { name: job.source.name, kind: job.source.kind } } : {}),
    ...(job.progress?.receivedBytes !== undefined ? { receivedBytes: job.progress.receivedBytes } : {}),
    ...(job.expectedBytes !== undefined ? { expectedBytes: job.expectedBytes } : {}),
    ...(job.result ? { durationMs: job.result.durationMs } : {}),
  };
}

const unknownFigures: LinkFigures = { bytesPerSecond: null, sourceRttMs: null, primaryRttMs: null, typicalSizeBytes: null };

type Discover = (index: number) => Promise<{ result: DiscoveryResult }>;

/**
 * The first repository's discovery (kept for the clone that follows): round trips, a typical
 * size, and what its source delivers when an earlier transfer on this network said.
 */
async function figuresBefore(discover: Discover, index: number): Promise<LinkFigures> {
  try {
    return figuresFromDiscovery((await discover(index)).result);
  } catch {
    // That repository's own clone will say what is wrong with it; the others still go.
    return unknownFigures;
  }
}

/**
 * After one clone ran alone: the throughput memory has its transfer now; should it not (too
 * small to be recorded), the clone's own bytes over its transfer's time stand in.
 */
async function figuresAfter(discover: Discover, next: number | undefined, scout: CloneJob | undefined): Promise<LinkFigures> {
  const figures = next === undefined ? unknownFigures : await figuresBefore(discover, next);
  if (figures.bytesPerSecond !== null || !scout?.result) return figures;
  const transfer = scout.attempts.findLast((attempt) => attempt.ok);
  const bytes = scout.progress?.receivedBytes;
  const bytesPerSecond = transfer && bytes && transfer.durationMs > 0 ? (bytes * 1000) / transfer.durationMs : null;
  return { ...figures, bytesPerSecond, typicalSizeBytes: figures.typicalSizeBytes ?? bytes ?? null };
}
