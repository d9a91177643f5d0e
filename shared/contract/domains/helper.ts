/** The helper describing itself: what the UI shows in its status bar and the CLI in `info`. */
import { z } from 'zod';

export const transportKinds = ['message-port', 'websocket', 'in-process'] as const;
export type TransportKind = (typeof transportKinds)[number];

export const helperInfoSchema = z.object({
  name: z.literal('mirror-clone'),
  version: z.string(),
  pid: z.number().int(),
  dataDir: z.string(),
  startedAt: z.string(),
  platform: z.string(),
  nodeVersion: z.string(),
  /** The transport carrying this connection, so a UI can say how it reaches its helper. */
  transport: z.enum(transportKinds),
  state: z.enum(['ready', 'stopping']),
});

export type HelperInfo = z.infer<typeof helperInfoSchema>;

export const helperMethods = {
  'helper.info': { params: z.object({}).strict(), result: helperInfoSchema },
};

export const helperEvents = {
  'helper.state': z.object({ state: helperInfoSchema.shape.state }),
};
