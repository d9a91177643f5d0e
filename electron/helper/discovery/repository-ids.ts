/**
 * The numeric ids of repositories looked up before, per primary, kept in the data folder so a
 * command-line run remembers what the last one learned. The mirror list is asked by id
 * (`/rest/mirroring/1.0/repos/{id}/mirrors`), so without one it must wait a whole round trip for
 * the repository answer; with a remembered id both are asked at once, and the repository answer
 * confirms the id (a repository deleted and created again, or renamed, gets another one; the
 * guessed list is then dropped).
 */
import { z } from 'zod';
import { openKeyedRecords } from '../store/keyed-records';

export interface RepositoryIds {
  get(baseUrl: string, projectKey: string, slug: string): number | undefined;
  set(baseUrl: string, projectKey: string, slug: string, id: number): void;
}

/** Project keys and slugs are case-insensitive in Bitbucket; the primary confirms the id anyway. */
const keyOf = (baseUrl: string, projectKey: string, slug: string) => `${baseUrl} ${projectKey.toUpperCase()}/${slug.toLowerCase()}`;

const recordSchema = z.object({ id: z.number().int().nonnegative(), usedAt: z.number() });

/** `dataDir`: where they are kept (in memory only without one); the `limit` most recently used are kept. */
export function createRepositoryIds(options: { dataDir?: string; limit?: number; now?: () => number } = {}): RepositoryIds {
  const limit = options.limit ?? 500;
  const now = options.now ?? Date.now;
  const records = openKeyedRecords(options.dataDir, 'repository-ids', recordSchema);
  return {
    get: (baseUrl, projectKey, slug) => records.all()[keyOf(baseUrl, projectKey, slug)]?.id,
    set(baseUrl, projectKey, slug, id) {
      const all = records.all();
      const key = keyOf(baseUrl, projectKey, slug);
      if (all[key]?.id === id && now() - all[key].usedAt < 60 * 60_000) return; // no write for every discovery
      all[key] = { id, usedAt: now() };
      const kept = Object.entries(all)
        .sort(([, a], [, b]) => b.usedAt - a.usedAt)
        .slice(0, limit);
      records.replace(Object.fromEntries(kept));
    },
  };
}

/** For callers without a data folder: this process's memory only. */
export const rememberedRepositoryIds = createRepositoryIds();
