/**
 * Browsing a primary: its projects and repositories, a page at a time, with a search text, for
 * the UI's repository list (incremental search) and for scripts.
 */
import { z } from 'zod';

const pageParams = {
  primary: z.string().min(1),
  /** Case-insensitive "contains" on the name. */
  query: z.string().max(200).optional(),
  /** The `nextStart` of the previous page; Bitbucket's page starts need not be contiguous. */
  start: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(200).optional(),
};

export const browsedProjectSchema = z.object({ key: z.string(), name: z.string(), description: z.string().optional() });

export const browsedRepositorySchema = z.object({
  id: z.number(),
  projectKey: z.string(),
  projectName: z.string(),
  slug: z.string(),
  name: z.string(),
  archived: z.boolean(),
});

/** What the browse list and the clone panel show beside a repository's name, asked for lazily per repository. */
export const repositoryDetailsSchema = z.object({
  /** The primary's estimate of what a full clone transfers; null: it did not say (or could not be asked safely). */
  sizeBytes: z.number().nullable(),
  /** The newest commit on the default branch; null for an empty repository or when the primary did not say. */
  lastChange: z.object({ at: z.string(), author: z.string().optional() }).nullable(),
});

function pageResult<T extends z.ZodType>(value: T) {
  return z.object({ values: z.array(value), nextStart: z.number().nullable() });
}

export type BrowsedProject = z.infer<typeof browsedProjectSchema>;
export type BrowsedRepository = z.infer<typeof browsedRepositorySchema>;
export type RepositoryDetails = z.infer<typeof repositoryDetailsSchema>;

export const browseMethods = {
  'projects.list': { params: z.object(pageParams).strict(), result: pageResult(browsedProjectSchema) },
  'repositories.list': {
    params: z.object({ ...pageParams, projectKey: z.string().max(100).optional() }).strict(),
    result: pageResult(browsedRepositorySchema),
  },
  'repositories.details': {
    params: z.object({ primary: z.string().min(1), projectKey: z.string().min(1).max(100), slug: z.string().min(1).max(200) }).strict(),
    result: repositoryDetailsSchema,
  },
};
