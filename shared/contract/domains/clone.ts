/**
 * Cloning from the chosen source and keeping clones pointed at the closest mirror. A clone is a
 * job that outlives the request that started it (the UI may reload or reconnect); it reports
 * through events and can be cancelled by id.
 */
import { z } from 'zod';
import { contractErrorSchema } from '../errors';

export const cloneProtocols = ['http', 'ssh'] as const;

export const cloneOpenTargets = ['folder', 'terminal', 'editor'] as const;
export type CloneOpenTarget = (typeof cloneOpenTargets)[number];

export const gitProgressSchema = z.object({
  /** 'large-files': the Git LFS download after the transfer, with its own bytes, rate and time left. */
  phase: z.enum(['connecting', 'counting', 'compressing', 'receiving', 'resolving', 'checking-out', 'large-files', 'done']),
  value: z.number().min(0).max(1),
  phaseValue: z.number().min(0).max(1),
  text: z.string(),
  receivedBytes: z.number().optional(),
  /** The size the transfer is expected to reach (the primary's estimate); absent when unknown or once passed. */
  expectedBytes: z.number().optional(),
  bytesPerSecond: z.number().optional(),
  /** Seconds left, only while the estimate holds steady; absent while receiving means "estimating…". */
  etaSeconds: z.number().optional(),
});

export const cloneSourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['primary', 'mirror']),
  url: z.string(),
});

export const cloneAttemptSchema = z.object({
  source: cloneSourceSchema,
  attempt: z.number().int(),
  ok: z.boolean(),
  error: z.string().optional(),
  durationMs: z.number(),
});

export const largeFilesSchema = z.object({
  /** LFS files at the checked-out commit. */
  files: z.number().int().min(0),
  bytes: z.number().min(0),
  /** 'pointers': git-lfs is not installed, so the files hold pointers until it is and they are fetched. */
  state: z.enum(['fetched', 'incomplete', 'pointers']),
  /** Which server delivered how many files (the clone's source first). */
  servedBy: z.array(z.object({ name: z.string(), files: z.number().int().min(0) })),
  /** Files still holding pointers (no server could deliver them), at most a few names. */
  missing: z.array(z.string()),
  /** What to tell the user, e.g. how to install git-lfs and fetch the files later. */
  warning: z.string().optional(),
});

export const cloneResultSchema = z.object({
  path: z.string(),
  source: cloneSourceSchema,
  fetchUrl: z.string(),
  pushUrl: z.string(),
  engine: z.enum(['native', 'isomorphic-git']),
  durationMs: z.number(),
  toppedUpFromPrimary: z.array(z.string()),
  /** Why this source: the discovery's reason line, or that it was the next after failures. */
  reason: z.string(),
  /** Git LFS files of the checked-out commit: where they came from, or why they are pointer files. */
  largeFiles: largeFilesSchema.optional(),
});

/**
 * A switch the user asks for reuses a measurement of this network only if it is younger than
 * this; older, the servers are measured again.
 */
export const askedSwitchMaxAgeMs = 60_000;

/** 'auto' measures and chooses; 'primary'; or a mirror's name or id. */
const sourceChoice = z.string().min(1).max(200);

export const cloneStartParamsSchema = z
  .object({
    repository: z.string().min(1).max(2000),
    parentDirectory: z.string().min(1),
    folderName: z.string().min(1).max(200).optional(),
    primary: z.string().optional(),
    protocol: z.enum(cloneProtocols).default('http'),
    source: sourceChoice.default('auto'),
    depth: z.number().int().min(1).max(1_000_000).optional(),
    branch: z.string().min(1).max(250).optional(),
  })
  .strict();

export const cloneTargetSchema = z.object({ primaryBaseUrl: z.string(), projectKey: z.string(), slug: z.string() });

export const cloneJobSchema = z.object({
  jobId: z.string(),
  repository: z.string(),
  state: z.enum(['discovering', 'cloning', 'finishing', 'done', 'failed', 'cancelled']),
  destination: z.string().optional(),
  source: cloneSourceSchema.optional(),
  /**
   * What the transfer is expected to move (the primary's estimate of the repository's packs); null
   * when unknown, or when a local mirror supplies the objects and little travels.
   */
  expectedBytes: z.number().nullable().optional(),
  progress: gitProgressSchema.optional(),
  attempts: z.array(cloneAttemptSchema),
  result: cloneResultSchema.optional(),
  error: contractErrorSchema.optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** What it was started with, so a UI can offer Retry after a reload. */
  params: cloneStartParamsSchema.optional(),
  /** Times it was started again because the helper stopped under it. */
  resumes: z.number().int().min(0).optional(),
  /** The repository, once the primary has answered (a card is titled by it). */
  target: cloneTargetSchema.optional(),
  /** The failed or cancelled job this one retries: it takes that job's place. */
  retryOf: z.string().optional(),
  /**
   * The moment the clone became ready to work (a clone made in steps): the default branch's newest
   * files are checked out at `path`, which can be opened, while the history keeps arriving in the
   * background. A job cancelled or failed after it leaves a working shallow clone there.
   */
  ready: z.object({ path: z.string(), at: z.string(), afterMs: z.number() }).optional(),
  /**
   * Said before the transfer, once discovery has read the repository's .gitattributes: it keeps
   * files in Git LFS and git-lfs is missing here, so the clone will hold pointer files.
   */
  largeFilesWarning: z.string().optional(),
});

export const knownCloneSchema = z.object({
  path: z.string(),
  primaryBaseUrl: z.string(),
  projectKey: z.string(),
  slug: z.string(),
  repositoryId: z.number(),
  source: z.object({ id: z.string(), name: z.string() }),
  fetchUrl: z.string(),
  pushUrl: z.string(),
  clonedAt: z.string(),
  /** Why it fetches from its current server (the choice's reason line), when known. */
  reason: z.string().optional(),
  /** Kept warm: fetched in the background on the cache's schedule (never touching the working tree). */
  warm: z.boolean().optional(),
  lastWarmAt: z.string().optional(),
  lastWarmError: z.string().optional(),
  /**
   * Ready to work, but its history is still arriving, or stopped part-way: shallow, with the
   * resumable note in its .git. Cloning the same repository to the same folder finishes it.
   */
  historyPending: z.boolean().optional(),
});

export const switchResultSchema = z.object({
  path: z.string(),
  from: z.object({ name: z.string(), url: z.string() }),
  to: cloneSourceSchema,
  changed: z.boolean(),
  toppedUpFromPrimary: z.array(z.string()),
  reason: z.string(),
  /** The clone's large files, fetched from the new server; with a warning when some could not be. */
  largeFiles: largeFilesSchema.optional(),
});

/** In the details of a HOST_KEY_UNKNOWN error: what each unknown server presents. */
export const unknownHostKeySchema = z.object({
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  fingerprint: z.string(),
  /** Whether it matches the fingerprint the primary advertises for itself; null when not the primary's. */
  matchesPrimaryAdvertised: z.boolean().nullable(),
});
export type UnknownHostKey = z.infer<typeof unknownHostKeySchema>;

/**
 * What a clone into `parentDirectory`/`name` would meet, checked as the user types:
 * ok (nothing there, or an empty folder it will use), exists (with files; `sameRepository`
 * when it is a clone of this repository the helper made; `historyPending` when that clone is ready to
 * work but its history is not all there, so a clone to it finishes it), not-writable, parent-missing (it can
 * be created), or invalid (the name or the path cannot be used).
 */
export const destinationCheckSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ok'), path: z.string(), emptyFolder: z.boolean() }),
  z.object({ state: z.literal('exists'), path: z.string(), sameRepository: z.boolean(), historyPending: z.boolean().optional() }),
  z.object({ state: z.literal('not-writable'), path: z.string(), message: z.string() }),
  z.object({ state: z.literal('parent-missing'), path: z.string(), parent: z.string() }),
  z.object({ state: z.literal('invalid'), message: z.string() }),
]);
export type DestinationCheck = z.infer<typeof destinationCheckSchema>;

export type GitProgressData = z.infer<typeof gitProgressSchema>;
export type CloneJob = z.infer<typeof cloneJobSchema>;
export type CloneTarget = z.infer<typeof cloneTargetSchema>;
export type CloneResult = z.infer<typeof cloneResultSchema>;
export type CloneSource = z.infer<typeof cloneSourceSchema>;
export type CloneAttempt = z.infer<typeof cloneAttemptSchema>;
export type KnownClone = z.infer<typeof knownCloneSchema>;
export type SwitchResult = z.infer<typeof switchResultSchema>;

export const cloneMethods = {
  'clone.start': {
    params: cloneStartParamsSchema,
    result: z.object({ jobId: z.string() }),
  },
  'clone.checkDestination': {
    params: z
      .object({
        parentDirectory: z.string().max(4096),
        /** The folder name; the repository's slug when the user left it empty. */
        name: z.string().max(200),
        /** The repository to be cloned, to recognise a finished clone of it already there. */
        repository: z.object({ primaryBaseUrl: z.string(), projectKey: z.string(), slug: z.string() }).optional(),
      })
      .strict(),
    result: destinationCheckSchema,
  },
  /** Creates a missing parent folder the user asked for (an absolute path; parents included). */
  'clone.createFolder': { params: z.object({ path: z.string().min(1).max(4096) }).strict(), result: z.object({ path: z.string() }) },
  'clone.cancel': { params: z.object({ jobId: z.string() }).strict(), result: z.object({ cancelled: z.boolean() }) },
  'clone.jobs': { params: z.object({}).strict(), result: z.array(cloneJobSchema) },
  /**
   * Starts a failed or cancelled job again as it was started; the new job carries `retryOf` and
   * takes the old one's place (which is forgotten). Refused when a clone is already at its destination.
   */
  'clone.retry': { params: z.object({ jobId: z.string() }).strict(), result: z.object({ jobId: z.string() }) },
  /** Forgets finished jobs (running ones are kept), so a cleared card stays cleared after a reload. */
  'clone.dismiss': { params: z.object({ jobIds: z.array(z.string()).max(500) }).strict(), result: z.object({ dismissed: z.number().int() }) },
  'clones.list': { params: z.object({}).strict(), result: z.array(knownCloneSchema) },
  'clones.setWarm': { params: z.object({ path: z.string().min(1), warm: z.boolean() }).strict(), result: knownCloneSchema },
  /** Adds an SSH server's key to known_hosts after the user confirmed this exact fingerprint. */
  'sshHosts.trust': {
    params: z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535), fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/=]+$/) }).strict(),
    result: z.object({ added: z.boolean(), knownHostsFile: z.string() }),
  },
  'clones.switch': {
    params: z
      .object({
        path: z.string().min(1),
        source: sourceChoice.default('auto'),
        refresh: z.boolean().optional(),
        /**
         * The oldest measurement of this network the switch may reuse (default: one minute); older,
         * it measures afresh. Switching many clones in one run passes
         * the time since the run began, so each primary's servers are measured once per run.
         */
        maxAgeMs: z.number().int().min(0).max(24 * 60 * 60_000).default(askedSwitchMaxAgeMs),
      })
      .strict(),
    result: switchResultSchema,
  },
  /**
   * Opens a clone the helper knows (never any other path) in the file manager, a terminal or an
   * editor on the user's machine; answers with the program it started.
   */
  'clones.open': {
    params: z.object({ path: z.string().min(1).max(4096), target: z.enum(cloneOpenTargets) }).strict(),
    result: z.object({ program: z.string() }),
  },
};

export const cloneEvents = {
  'clone.progress': z.object({ jobId: z.string(), source: cloneSourceSchema, progress: gitProgressSchema }),
  'clone.state': z.object({ job: cloneJobSchema }),
  /** The helper switched a clone by itself: a warm clone, after a move to another network. */
  'clones.switched': z.object({ result: switchResultSchema }),
};
