/**
 * The numeric ids of repositories this process has looked up, per primary. The mirror list is
 * asked by id (`/rest/mirroring/1.0/repos/{id}/mirrors`), so without one it must wait a whole
 * round trip for the repository answer; with a remembered id both are asked at once, and the
 * repository answer confirms the id (a repository deleted and created again gets a new one).
 */
export interface RepositoryIds {
  get(baseUrl: string, projectKey: string, slug: string): number | undefined;
  set(baseUrl: string, projectKey: string, slug: string, id: number): void;
}

/** Project keys and slugs are case-insensitive in Bitbucket; the primary confirms the id anyway. */
const keyOf = (baseUrl: string, projectKey: string, slug: string) => `${baseUrl} ${projectKey.toUpperCase()}/${slug.toLowerCase()}`;

export function createRepositoryIds(limit = 500): RepositoryIds {
  const ids = new Map<string, number>();
  return {
    get: (baseUrl, projectKey, slug) => ids.get(keyOf(baseUrl, projectKey, slug)),
    set(baseUrl, projectKey, slug, id) {
      const key = keyOf(baseUrl, projectKey, slug);
      ids.delete(key); // re-inserted last: the map's order is the order of use
      ids.set(key, id);
      if (ids.size > limit) ids.delete(ids.keys().next().value!);
    },
  };
}

/** The helper's own memory; lost when the process ends (a command-line run starts without it). */
export const rememberedRepositoryIds = createRepositoryIds();
