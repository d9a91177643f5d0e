/**
 * Many repositories in one step: every repository of some projects, or a list of references,
 * each cloned as its own clone job (its own closest source), several at once. A batch reports
 * one overall progress as events; repositories already cloned where they would go are left
 * alone and reported as already there.
 */
import { z } from 'zod';
import { contractErrorSchema } from '../errors';
import { cloneProtocols } from './clone';

/** Where each repository goes: DIR/<slug>, or DIR/<KEY>/<slug>. */
export const batchLayouts = ['flat', 'by-project'] as const;
export type BatchLayout = (typeof batchLayouts)[number];

/** More at once than this only splits the link further and loads the machine. */
export const maxBatchJobs = 16;

export const cloneBatchStartParamsSchema = z
  .object({
    /** Project keys: every repository of each (archived ones only with includeArchived). */
    projects: z.array(z.string().min(1).max(100)).max(200).default([]),
    /** Repository references as a single clone takes them (URLs, KEY/slug, ~user/slug). */
    repositories: z.array(z.string().min(1).max(2000)).max(2000).default([]),
    /** The primary for project keys and KEY/slug references (a URL names its own). */
    primary: z.string().optional(),
    includeArchived: z.boolean().default(false),
    parentDirectory: z.string().min(1).max(4096),
    layout: z.enum(batchLayouts).default('flat'),
    protocol: z.enum(cloneProtocols).default('http'),
    /** How many clones run at once; absent: chosen from what the link delivers. */
    jobs: z.number().int().min(1).max(maxBatchJobs).optional(),
  })
  .strict();

export const batchItemStates = ['waiting', 'cloning', 'done', 'failed', 'cancelled'] as const;

export const batchItemSchema = z.object({
  /** KEY/slug (~user/slug for a personal repository). */
  repository: z.string(),
  path: z.string(),
  state: z.enum(batchItemStates),
  /** A finished clone of this repository was already at `path`: nothing was transferred. */
  alreadyThere: z.boolean(),
  jobId: z.string().optional(),
  source: z.object({ name: z.string(), kind: z.enum(['primary', 'mirror']) }).optional(),
  receivedBytes: z.number().optional(),
  /** The primary's estimate of the transfer, once the clone has asked; null: not known. */
  expectedBytes: z.number().nullable().optional(),
  durationMs: z.number().optional(),
  error: contractErrorSchema.optional(),
});

export const batchTotalsSchema = z.object({
  repositories: z.number().int(),
  /** Present at the end: cloned now, or already there. */
  done: z.number().int(),
  alreadyThere: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  receivedBytes: z.number(),
  bytesPerSecond: z.number().nullable(),
  /** Seconds left; null while there is nothing to estimate from. */
  etaSeconds: z.number().nullable(),
});

export const cloneBatchSchema = z.object({
  batchId: z.string(),
  state: z.enum(['running', 'done', 'cancelled']),
  parentDirectory: z.string(),
  layout: z.enum(batchLayouts),
  /** The primary and protocol it was asked with, so a retry after a reload asks the same way. */
  primary: z.string().optional(),
  protocol: z.enum(cloneProtocols),
  /** How many run at once; null until it is chosen. */
  concurrency: z.number().int().nullable(),
  /** Why that many: the figures it rests on, or that it was asked for. */
  concurrencyReason: z.string(),
  items: z.array(batchItemSchema),
  totals: batchTotalsSchema,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});

export type CloneBatchStartParams = z.input<typeof cloneBatchStartParamsSchema>;
export type CloneBatch = z.infer<typeof cloneBatchSchema>;
export type BatchItem = z.infer<typeof batchItemSchema>;
export type BatchTotals = z.infer<typeof batchTotalsSchema>;

export const cloneBatchMethods = {
  /**
   * Resolves the list (project listings are read from the primary now: a project that cannot be
   * listed fails the call) and starts the batch; progress follows as `clone.batch` events.
   */
  'clone.batchStart': { params: cloneBatchStartParamsSchema, result: cloneBatchSchema },
  /** Cancels the running clones of a batch; those not started yet are not started. */
  'clone.batchCancel': { params: z.object({ batchId: z.string() }).strict(), result: z.object({ cancelled: z.boolean() }) },
  'clone.batches': { params: z.object({}).strict(), result: z.array(cloneBatchSchema) },
};

export const cloneBatchEvents = {
  /** A batch changed: an item started or ended, or (at most twice a second) bytes moved. */
  'clone.batch': z.object({ batch: cloneBatchSchema }),
};
