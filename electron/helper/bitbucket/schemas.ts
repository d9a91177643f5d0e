/**
 * What Bitbucket Data Center's REST API returns, as ../shared/bitbucket-dc-api.md documents it.
 * Every response is parsed with these, never trusted. Fields real servers are known to vary on
 * (string or number ids, epoch-millis or ISO dates, optional productType) accept both readings.
 */
import { z } from 'zod';

export const linkSchema = z.object({ href: z.string(), name: z.string().optional() });

/** Bitbucket's paged envelope. `nextPageStart` is present only when `isLastPage` is false. */
export function pageOf<T extends z.ZodType>(value: T) {
  return z.object({
    size: z.number().optional(),
    limit: z.number().optional(),
    start: z.number().optional(),
    isLastPage: z.boolean(),
    nextPageStart: z.number().optional(),
    values: z.array(value),
  });
}

export const errorBodySchema = z.object({
  errors: z.array(z.object({ context: z.string().nullable().optional(), message: z.string(), exceptionName: z.string().nullable().optional() })),
});

export const applicationPropertiesSchema = z.object({
  version: z.string(),
  buildNumber: z.string().optional(),
  buildDate: z.string().optional(),
  displayName: z.string().optional(),
});

export const projectSchema = z.object({
  key: z.string(),
  id: z.number().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  public: z.boolean().optional(),
  type: z.string().optional(),
});

export const repositorySchema = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string().optional(),
  state: z.string().optional(),
  archived: z.boolean().optional(),
  project: projectSchema,
  links: z.object({ clone: z.array(linkSchema).optional(), self: z.array(linkSchema).optional() }).optional(),
});

const dateSchema = z.union([z.number(), z.string()]);

export const mirrorServerSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  enabled: z.boolean(),
  productVersion: z.string().optional(),
  productType: z.string().optional(),
  lastSeenDate: dateSchema.optional(),
  mirrorType: z.string().optional(),
});

export const mirrorDescriptorSchema = z.object({
  mirrorServer: mirrorServerSchema,
  links: z.object({ self: z.array(linkSchema).min(1) }),
});

export const mirroredRepositoryStatuses = ['NOT_MIRRORED', 'INITIALIZING', 'AVAILABLE', 'ERROR_INITIALIZING', 'ERROR_AVAILABLE'] as const;

/**
 * The mirror's answer for one repository. Real clients read `links.clone`; the published schema
 * prints `cloneUrls`/`pushUrls`. Both are accepted and folded into `cloneLinks`/`pushLinks`.
 */
export const mirroredRepositorySchema = z
  .object({
    available: z.boolean(),
    status: z.enum(mirroredRepositoryStatuses).or(z.string()),
    mirrorName: z.string().optional(),
    repositoryId: z.union([z.string(), z.number()]).optional(),
    lastUpdated: dateSchema.optional(),
    links: z.object({ clone: z.array(linkSchema).optional(), push: z.array(linkSchema).optional() }).optional(),
    cloneUrls: z.array(linkSchema).optional(),
    pushUrls: z.array(linkSchema).optional(),
  })
  .transform((body) => ({
    available: body.available,
    status: body.status,
    mirrorName: body.mirrorName,
    repositoryId: body.repositoryId === undefined ? undefined : String(body.repositoryId),
    cloneLinks: body.links?.clone ?? body.cloneUrls ?? [],
    pushLinks: body.links?.push ?? body.pushUrls ?? [],
  }));

export const sshSettingsSchema = z.object({
  enabled: z.boolean(),
  baseUrl: z.string().optional(),
  port: z.number().optional(),
  accessKeysEnabled: z.boolean().optional(),
  fingerprint: z.object({ algorithm: z.string(), value: z.string() }).optional(),
});

export const statusSchema = z.object({ state: z.string() });

export type BitbucketRepository = z.infer<typeof repositorySchema>;
export type MirrorDescriptor = z.infer<typeof mirrorDescriptorSchema>;
export type MirrorServer = z.infer<typeof mirrorServerSchema>;
export type MirroredRepository = z.output<typeof mirroredRepositorySchema>;
export type ApplicationProperties = z.infer<typeof applicationPropertiesSchema>;
export type SshSettings = z.infer<typeof sshSettingsSchema>;
export type BitbucketProject = z.infer<typeof projectSchema>;
