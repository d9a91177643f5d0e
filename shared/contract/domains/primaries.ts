/** Connecting Bitbucket primaries: check, add (secret to the keychain), list, remove, manual mirrors, pins. */
import { z } from 'zod';

export const primaryCredentialsInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: z.string().min(1) }),
  z.object({ kind: z.literal('password'), username: z.string().min(1), password: z.string().min(1) }),
]);

export const primaryConnectionSchema = z.object({
  baseUrl: z.string(),
  version: z.string(),
  displayName: z.string().optional(),
  /** Whether the credentials were accepted by a call that needs them. */
  authenticated: z.boolean(),
  /** The Bitbucket user the credentials belong to, when the server says. */
  username: z.string().optional(),
  /** Plain http: works, but everything including the token travels unencrypted. */
  insecure: z.boolean(),
});

export const manualMirrorSchema = z.object({ name: z.string().min(1).max(100), baseUrl: z.string().min(1) });

export const primarySummarySchema = z.object({
  baseUrl: z.string(),
  name: z.string(),
  version: z.string().optional(),
  authKind: z.enum(['token', 'password']),
  username: z.string().optional(),
  insecure: z.boolean(),
  manualMirrors: z.array(manualMirrorSchema),
  pinnedCandidate: z.string().optional(),
});

export type PrimarySummary = z.infer<typeof primarySummarySchema>;
export type PrimaryConnection = z.infer<typeof primaryConnectionSchema>;

export const primariesMethods = {
  'primaries.check': {
    params: z.object({ baseUrl: z.string().min(1), credentials: primaryCredentialsInputSchema.optional() }).strict(),
    result: primaryConnectionSchema,
  },
  'primaries.add': {
    params: z.object({ baseUrl: z.string().min(1), credentials: primaryCredentialsInputSchema }).strict(),
    result: primarySummarySchema,
  },
  'primaries.list': { params: z.object({}).strict(), result: z.array(primarySummarySchema) },
  'primaries.remove': { params: z.object({ baseUrl: z.string() }).strict(), result: z.object({ removed: z.boolean() }) },
  'primaries.setManualMirrors': {
    params: z.object({ baseUrl: z.string(), mirrors: z.array(manualMirrorSchema).max(50) }).strict(),
    result: primarySummarySchema,
  },
  'primaries.pin': {
    params: z.object({ baseUrl: z.string(), candidate: z.string().nullable() }).strict(),
    result: primarySummarySchema,
  },
};
