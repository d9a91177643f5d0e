/**
 * Which servers hold a repository, how close each is from here, and which one to clone from.
 * The candidate shape is also what `mirror-clone discover --json` prints.
 */
import { z } from 'zod';

export const candidateStatuses = [
  'healthy',
  'behind', // reachable, but lacks refs the primary has: still a source, the top-up brings the rest
  'out-of-sync', // behind for longer than a mirror's sync should take: passed over
  'not-mirrored',
  'initializing',
  'mirror-error',
  'disabled',
  'unhealthy', // /status is not RUNNING (starting, maintenance)
  'unreachable',
  'unsafe-url', // advertised a clone URL that is refused before it can reach git
  'unknown', // not measured (yet)
] as const;

export const candidateSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['primary', 'mirror']),
  /** A mirror added by hand for a primary that advertises none. */
  manual: z.boolean(),
  baseUrl: z.string(),
  cloneUrls: z.object({ http: z.string().optional(), ssh: z.string().optional() }),
  status: z.enum(candidateStatuses),
  /** The mirror's own word for the repository (AVAILABLE, NOT_MIRRORED, ...), when it gave one. */
  mirrorStatus: z.string().optional(),
  available: z.boolean(),
  rttMs: z.number().nullable(),
  spreadMs: z.number().nullable(),
  connectMs: z.number().nullable(),
  samples: z.array(z.number()),
  /** At least this slow: measuring stopped once it could not beat the best. */
  slowerThanMs: z.number().nullable(),
  /** null: not checked (e.g. unreachable); otherwise whether refs are missing or older than the primary's. */
  behind: z.boolean().nullable(),
  behindRefs: z.array(z.string()),
  /** How long it has been seen behind the primary (across discoveries); null: not behind, or unknown. */
  behindForMs: z.number().nullable().default(null),
  /** Bytes per second this server delivers here; null: not known. */
  throughputBytesPerSec: z.number().nullable().default(null),
  /** Where that figure comes from: earlier transfers from it on this network, or a short measurement just now. */
  throughputFrom: z.enum(['transfers', 'probe']).nullable().default(null),
  /** Expected time of a whole clone from it: set-up + size ÷ throughput + the top-up when it lags; null: not known. */
  expectedMs: z.number().nullable().default(null),
  insecure: z.boolean(),
  chosen: z.boolean(),
  /** Why it was chosen, or why not: one line a person can read. */
  reason: z.string(),
});

export const discoveredRepositorySchema = z.object({
  id: z.number(),
  projectKey: z.string(),
  slug: z.string(),
  name: z.string(),
  primaryBaseUrl: z.string(),
  cloneUrls: z.object({ http: z.string().optional(), ssh: z.string().optional() }),
  /** The primary's estimate of what a full clone transfers (its pack files), in bytes; null: it did not say. */
  sizeBytes: z.number().nullable().default(null),
});

/**
 * Git LFS, known before the clone: whether the default branch's top-level .gitattributes sends
 * files through LFS ('unknown' when the primary could not be asked), and, when it does, whether
 * git-lfs is on this machine (without it the clone holds pointer files).
 */
export const largeFilesOutlookSchema = z.object({
  usesLfs: z.enum(['yes', 'no', 'unknown']),
  /** The first few patterns it sends through LFS, e.g. `*.psd`; `morePatterns` counts the rest. */
  patterns: z.array(z.string()),
  morePatterns: z.number().int().min(0),
  /** null: not checked (no LFS seen). */
  gitLfsInstalled: z.boolean().nullable(),
});

export const discoveryResultSchema = z.object({
  repository: discoveredRepositorySchema,
  mirroring: z.enum(['available', 'not-available']),
  candidates: z.array(candidateSchema),
  chosen: z.string().nullable(),
  reason: z.string(),
  /** What decided: the user's pin, their Bitbucket preference, the expected clone time, the round trip alone (size or throughput unknown), or nothing usable. */
  decidedBy: z.enum(['pin', 'preference', 'expected-time', 'latency', 'none']).default('latency'),
  /** A short real transfer made to learn throughput, when nothing was known: what it moved and took. null: none was needed. */
  throughputProbe: z.object({ bytes: z.number(), durationMs: z.number(), servers: z.number() }).nullable().default(null),
  /** Git LFS as seen before the clone; older helpers sent nothing: unknown. */
  largeFiles: largeFilesOutlookSchema.default({ usesLfs: 'unknown', patterns: [], morePatterns: 0, gitLfsInstalled: null }),
  measuredAt: z.string(),
  fromCache: z.boolean(),
  durationMs: z.number(),
});

export type Candidate = z.infer<typeof candidateSchema>;
export type CandidateStatus = (typeof candidateStatuses)[number];
export type DiscoveryResult = z.infer<typeof discoveryResultSchema>;
export type DiscoveredRepository = z.infer<typeof discoveredRepositorySchema>;
export type LargeFilesOutlook = z.infer<typeof largeFilesOutlookSchema>;

export const discoveryMethods = {
  'discovery.run': {
    params: z
      .object({
        repository: z.string().min(1).max(2000),
        /** The primary's base URL when the reference does not name one (KEY/slug). */
        primary: z.string().optional(),
        samples: z.number().int().min(1).max(20).optional(),
        /** Ignore a cached measurement for this network. */
        refresh: z.boolean().optional(),
        /**
         * Reuse a cached measurement for this network only if it is younger than this; without
         * it, any the cache still keeps. For answers a user asked for now.
         */
        maxAgeMs: z.number().int().min(0).max(24 * 60 * 60_000).optional(),
        /**
         * Keep measuring candidates that were ruled out early until they finish, so every row
         * has a median (the choice is the same; it only costs time). For reports and tables.
         */
        measureAll: z.boolean().optional(),
        /** Chosen by the caller; lets a UI match streamed samples to this run. */
        runId: z.string().max(100).optional(),
      })
      .strict(),
    result: discoveryResultSchema,
  },
};

export const discoveryEvents = {
  /** Sent once the primary has said who holds the repository, before measuring: rows for a UI. */
  'discovery.candidates': z.object({
    runId: z.string(),
    candidates: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(['primary', 'mirror']), status: z.enum(candidateStatuses), offered: z.boolean() })),
  }),
  'discovery.sample': z.object({
    runId: z.string(),
    candidateId: z.string(),
    kind: z.enum(['connect', 'warmup', 'sample']),
    ms: z.number(),
  }),
};
