/**
 * When a repository last changed: the newest commit on its default branch, from
 * `GET /rest/api/1.0/projects/{KEY}/repos/{slug}/commits?limit=1` (commits reachable from the
 * default branch, newest first). Optional like the size: an empty repository, or any refusal,
 * means "not known", never a failed listing.
 */
import { z } from 'zod';
import { ContractError } from '../../../shared/contract';
import type { BitbucketClient } from '../bitbucket/rest-client';

const commitsPageSchema = z.object({
  values: z.array(
    z.object({
      id: z.string(),
      author: z.object({ name: z.string().optional(), displayName: z.string().optional() }).optional(),
      authorTimestamp: z.number().optional(),
      committerTimestamp: z.number().optional(),
    }),
  ),
});

export interface LastChange {
  at: string;
  author?: string;
}

export async function fetchLastChange(query: { client: BitbucketClient; projectKey: string; slug: string; signal?: AbortSignal }): Promise<LastChange | undefined> {
  const path = `/rest/api/1.0/projects/${encodeURIComponent(query.projectKey)}/repos/${encodeURIComponent(query.slug)}/commits`;
  try {
    const page = await query.client.getJson(path, commitsPageSchema, { signal: query.signal, query: { limit: 1 } });
    const newest = page.values[0];
    // The committer's time is when it reached the branch; a rebased commit keeps its old author time.
    const at = newest?.committerTimestamp ?? newest?.authorTimestamp;
    if (!newest || at === undefined) return undefined;
    const author = newest.author?.displayName ?? newest.author?.name;
    return { at: new Date(at).toISOString(), ...(author ? { author } : {}) };
  } catch (error) {
    if (error instanceof ContractError && error.code === 'CANCELLED') throw error;
    return undefined;
  }
}
