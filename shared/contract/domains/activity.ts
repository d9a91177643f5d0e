/**
 * What the helper did, kept in its data folder so it outlives a page reload and a helper restart:
 * clones (done, failed with the reason, cancelled), switches to another mirror, and local mirror
 * syncs that failed. Newest first; the oldest entries are dropped beyond a fixed number.
 */
import { z } from 'zod';
import { contractErrorSchema } from '../errors';

export const activityKinds = ['clone', 'switch', 'sync'] as const;
export type ActivityKind = (typeof activityKinds)[number];

export const activityEntrySchema = z.object({
  id: z.string(),
  /** When it ended (ISO). */
  at: z.string(),
  kind: z.enum(activityKinds),
  outcome: z.enum(['done', 'failed', 'cancelled']),
  /** `PROJECT/slug` once known, otherwise what the user asked for. */
  repository: z.string(),
  primaryBaseUrl: z.string().optional(),
  /** The clone's folder (clones, switches) or the local mirror's (syncs). */
  path: z.string().optional(),
  /** One line on what happened: "from near (mirror)", "from far to near". */
  detail: z.string().optional(),
  durationMs: z.number().optional(),
  /** The helper did it by itself (a warm clone after a move, a scheduled sync). */
  automatic: z.boolean().optional(),
  error: contractErrorSchema.optional(),
});

export type ActivityEntry = z.infer<typeof activityEntrySchema>;

/** How many entries the helper keeps. */
export const activityCapacity = 200;

export const activityMethods = {
  'activity.list': {
    params: z.object({ limit: z.number().int().min(1).max(activityCapacity).optional() }).strict(),
    result: z.array(activityEntrySchema),
  },
};

export const activityEvents = {
  'activity.added': z.object({ entry: activityEntrySchema }),
};
