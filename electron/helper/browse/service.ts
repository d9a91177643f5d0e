/**
 * `projects.list` and `repositories.list`: one page of the primary's listing each call, passing
 * Bitbucket's own paging through (the caller continues from `nextStart`, never computes it).
 * `repositories.details`: a repository's size and last change, asked per row as it shows.
 */
import { z } from 'zod';
import type { Handlers } from '../rpc/dispatcher';
import { createBitbucketClient, normaliseBaseUrl, type BitbucketClientOptions } from '../bitbucket/rest-client';
import { pageOf, projectSchema, repositorySchema } from '../bitbucket/schemas';
import type { CredentialSource } from '../primaries/credentials';
import type { PrimariesStore } from '../store/primaries-store';
import { fetchRepositorySize } from '../bitbucket/repository-size';
import { fetchLastChange } from './last-change';

export interface BrowseServiceDeps {
  credentials: CredentialSource;
  clientOptions(): Promise<Pick<BitbucketClientOptions, 'ca' | 'pool' | 'request'>>;
  /** The connected primaries: their version says whether a token may ask for a repository's size. */
  primaries?: Pick<PrimariesStore, 'get'>;
}

const defaultLimit = 50;

export function createBrowseService(deps: BrowseServiceDeps): Pick<Handlers, 'projects.list' | 'repositories.list' | 'repositories.details'> {
  const connect = async (primary: string) => {
    const baseUrl = normaliseBaseUrl(primary);
    // The caller names the primary here, so a CI token (MIRROR_CLONE_TOKEN) may apply to it.
    const credentials = await deps.credentials.forPrimary(baseUrl, { named: true });
    return { baseUrl, credentials, client: createBitbucketClient({ ...(await deps.clientOptions()), baseUrl, credentials }) };
  };
  const clientFor = async (primary: string) => (await connect(primary)).client;
  const nextStartOf = (page: { isLastPage: boolean; nextPageStart?: number }) => (page.isLastPage || page.nextPageStart === undefined ? null : page.nextPageStart);

  return {
    'projects.list': async ({ primary, query, start, limit }, { signal }) => {
      const client = await clientFor(primary);
      const page = await client.getJson('/rest/api/1.0/projects', pageOf(projectSchema), { signal, query: { name: query || undefined, start: start ?? 0, limit: limit ?? defaultLimit } });
      return { values: page.values.map((project) => ({ key: project.key, name: project.name ?? project.key, description: project.description })), nextStart: nextStartOf(page) };
    },
    'repositories.list': async ({ primary, query, projectKey, start, limit }, { signal }) => {
      const client = await clientFor(primary);
      const page = await client.getJson('/rest/api/1.0/repos', pageOf(repositorySchema.extend({ project: projectSchema.extend({ name: z.string().optional() }) })), {
        signal,
        // Bitbucket 8+ leaves archived repositories out unless asked; they can still be cloned (older versions ignore the parameter).
        query: { name: query || undefined, projectkey: projectKey, archived: 'ALL', start: start ?? 0, limit: limit ?? defaultLimit },
      });
      return {
        values: page.values.map((repository) => ({
          id: repository.id,
          projectKey: repository.project.key,
          projectName: repository.project.name ?? repository.project.key,
          slug: repository.slug,
          name: repository.name ?? repository.slug,
          archived: repository.archived ?? false,
        })),
        nextStart: nextStartOf(page),
      };
    },
    'repositories.details': async ({ primary, projectKey, slug }, { signal }) => {
      const { baseUrl, credentials, client } = await connect(primary);
      const [sizeBytes, lastChange] = await Promise.all([
        fetchRepositorySize({ client, credentials, version: deps.primaries?.get(baseUrl)?.version, projectKey, slug, signal }),
        fetchLastChange({ client, projectKey, slug, signal }),
      ]);
      return { sizeBytes: sizeBytes ?? null, lastChange: lastChange ?? null };
    },
  };
}
