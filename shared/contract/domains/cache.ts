/**
 * Local mirrors: bare copies of chosen repositories kept by the helper on this machine, so a
 * new clone takes its objects from local disk and only the latest changes travel.
 */
import { z } from 'zod';

export const localMirrorSchema = z.object({
  id: z.string(),
  primaryBaseUrl: z.string(),
  projectKey: z.string(),
  slug: z.string(),
  path: z.string(),
  source: z.object({ id: z.string(), name: z.string(), url: z.string() }),
  state: z.enum(['ready', 'syncing', 'failed']),
  addedAt: z.string(),
  lastSyncAt: z.string().optional(),
  lastError: z.string().optional(),
  sizeBytes: z.number().optional(),
  /** Background sync: when it is next due (epoch ms) and how many attempts failed in a row. */
  nextSyncAt: z.number().optional(),
  failures: z.number().int().optional(),
  /** When a clone last borrowed from it or it was served (epoch ms): what quota eviction goes by. */
  lastUsedAt: z.number().optional(),
  /** When the last consistency check against the primary ran (epoch ms). */
  lastCheckAt: z.number().optional(),
  /** The primary's HTTP(S) clone URL: what the consistency check compares against. */
  primaryCloneUrl: z.string().optional(),
});

export type LocalMirror = z.infer<typeof localMirrorSchema>;

const repositoryRef = { repository: z.string().min(1).max(2000), primary: z.string().optional() };

export const cacheMethods = {
  'cache.add': { params: z.object(repositoryRef).strict(), result: localMirrorSchema },
  'cache.list': { params: z.object({}).strict(), result: z.array(localMirrorSchema) },
  'cache.sync': { params: z.object({ id: z.string().optional() }).strict(), result: z.array(localMirrorSchema) },
  'cache.remove': { params: z.object({ id: z.string() }).strict(), result: z.object({ removed: z.boolean() }) },
  /** Whether this helper syncs in the background (the app's does, the CLI's does not) and whether that is paused. */
  'cache.status': { params: z.object({}).strict(), result: z.object({ scheduled: z.boolean(), paused: z.boolean() }) },
  /** Pauses or resumes background syncing (metered network, battery). */
  'cache.pause': { params: z.object({ paused: z.boolean() }).strict(), result: z.object({ paused: z.boolean() }) },
  /** Serves the local mirrors read-only on 127.0.0.1 to git clients that authenticate (started once; later calls return the same). */
  'cache.serve': {
    params: z.object({ port: z.number().int().min(0).max(65535).optional() }).strict(),
    result: z.object({
      port: z.number(),
      mirrors: z.array(z.object({ id: z.string(), url: z.string() })),
      /** The git credential helper that presents this installation's secret to the server (git runs it for http://127.0.0.1:PORT). */
      credentialHelper: z.string(),
    }),
  },
};

export const cacheEvents = {
  /** A local mirror changed state (syncing, synced, failed, added), with its size on disk. */
  'cache.mirror': z.object({ mirror: localMirrorSchema }),
  /** A local mirror is gone: removed by a user (in any window) or to stay within the disk quota. */
  'cache.mirrorRemoved': z.object({ id: z.string(), reason: z.enum(['removed', 'quota']) }),
};
