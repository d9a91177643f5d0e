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

/** A mirror as the user types it in: a name and a base address. */
export const manualMirrorInputSchema = z.object({ name: z.string().min(1).max(100), baseUrl: z.string().min(1) });

/**
 * The user's consent to send the primary's credentials to a mirror it does not advertise: the
 * host they confirmed by name, and when. It holds only while the mirror's address still has that
 * host; a mirror whose address changes is a new mirror and gets nothing until confirmed again.
 */
export const mirrorTokenConsentSchema = z.object({ host: z.string().min(1), confirmedAt: z.string() });

export const manualMirrorSchema = manualMirrorInputSchema.extend({ tokenAllowed: mirrorTokenConsentSchema.optional() });

/** The candidate id of the primary itself, as discovery and `pinnedCandidate` use it. */
export const primaryCandidateId = 'primary';

/** The candidate id of a mirror added by hand: manual mirrors have no Bitbucket server id. */
export const manualMirrorCandidateId = (baseUrl: string) => `manual:${baseUrl}`;

/** A mirror that can be pinned: one discovery has seen advertised for this primary, or one added by hand. */
export const knownMirrorSchema = z.object({
  /** The candidate id, as `primaries.pin` takes it and `pinnedCandidate` holds it. */
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  manual: z.boolean(),
  /** Disabled by the Bitbucket administrators when discovery last saw it: it serves no clones, so it cannot be pinned. */
  disabled: z.boolean().optional(),
});

export const primarySummarySchema = z.object({
  baseUrl: z.string(),
  name: z.string(),
  version: z.string().optional(),
  authKind: z.enum(['token', 'password']),
  username: z.string().optional(),
  insecure: z.boolean(),
  manualMirrors: z.array(manualMirrorSchema),
  /**
   * A candidate id (not a name): `primary`, a Bitbucket mirror server id, or `manual:<base URL>`.
   * Discovery clones from it whenever it is healthy and up to date; otherwise it picks as usual.
   */
  pinnedCandidate: z.string().optional(),
});

export type KnownMirror = z.infer<typeof knownMirrorSchema>;
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
    // Input only: consent is given by `primaries.allowTokenForMirror`, never through this list.
    // A mirror kept at the same address keeps its consent; a changed address loses it.
    params: z.object({ baseUrl: z.string(), mirrors: z.array(manualMirrorInputSchema).max(50) }).strict(),
    result: primarySummarySchema,
  },
  /**
   * Lets a mirror added by hand receive the primary's credentials. `host` must be the mirror
   * address's host (and port), as the user confirmed it: "Send your token for <primary> to <host>?".
   */
  'primaries.allowTokenForMirror': {
    params: z.object({ baseUrl: z.string(), mirrorBaseUrl: z.string(), host: z.string() }).strict(),
    result: primarySummarySchema,
  },
  /** The mirror added by hand is asked anonymously again. */
  'primaries.withdrawTokenForMirror': {
    params: z.object({ baseUrl: z.string(), mirrorBaseUrl: z.string() }).strict(),
    result: primarySummarySchema,
  },
  /** The mirrors the pin can choose from: those the last discovery saw, then those added by hand. */
  'primaries.knownMirrors': { params: z.object({ baseUrl: z.string() }).strict(), result: z.array(knownMirrorSchema) },
  /** candidate: a candidate id (`primary`, or an id from `primaries.knownMirrors`); null: no pin. */
  'primaries.pin': {
    params: z.object({ baseUrl: z.string(), candidate: z.string().nullable() }).strict(),
    result: primarySummarySchema,
  },
};
