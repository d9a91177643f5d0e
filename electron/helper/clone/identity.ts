/**
 * A clone remembers where it came from in its own git config (section `mirrorclone`), so it can
 * be switched to another mirror later by any tool of ours, even after the helper's data folder
 * is gone. No secrets here.
 */
import { getConfig, setConfig } from '../git/config';
import type { ConfigEntry } from '../git/config-entries';
import { normaliseBaseUrl } from '../bitbucket/rest-client';

export interface CloneIdentity {
  primaryBaseUrl: string;
  projectKey: string;
  slug: string;
  repositoryId: number;
  sourceId: string;
  sourceName: string;
}

const keys = {
  primaryBaseUrl: 'mirrorclone.primary',
  projectKey: 'mirrorclone.project',
  slug: 'mirrorclone.slug',
  repositoryId: 'mirrorclone.repositoryId',
  sourceId: 'mirrorclone.sourceId',
  sourceName: 'mirrorclone.sourceName',
} as const;

/** The identity as config entries, for a clone that has none yet (git/config-entries.ts). */
export function identityEntries(identity: CloneIdentity): ConfigEntry[] {
  return Object.entries(keys).map(([field, key]) => [key, String(identity[field as keyof CloneIdentity])] as const);
}

export async function writeIdentity(repository: string, identity: CloneIdentity, signal?: AbortSignal): Promise<void> {
  for (const [key, value] of identityEntries(identity)) await setConfig(repository, key, value, { signal });
}

/**
 * The source a clone's config names, changed when it is another: a clone finished at its
 * destination may take its history from another server than its newest commit came from.
 */
export async function recordSource(repository: string, source: { id: string; name: string }, signal?: AbortSignal): Promise<void> {
  const recorded = { id: await getConfig(repository, keys.sourceId, { signal }), name: await getConfig(repository, keys.sourceName, { signal }) };
  if (recorded.id === source.id && recorded.name === source.name) return;
  await setConfig(repository, keys.sourceId, source.id, { signal });
  await setConfig(repository, keys.sourceName, source.name, { signal });
}

export async function readIdentity(repository: string, signal?: AbortSignal): Promise<CloneIdentity | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const [field, key] of Object.entries(keys)) values[field] = await getConfig(repository, key, { signal });
  if (!values.primaryBaseUrl || !values.projectKey || !values.slug) return undefined;
  return {
    primaryBaseUrl: values.primaryBaseUrl,
    projectKey: values.projectKey,
    slug: values.slug,
    repositoryId: Number(values.repositoryId ?? 0),
    sourceId: values.sourceId ?? 'primary',
    sourceName: values.sourceName ?? 'Primary',
  };
}

/** Which repository, as a key: the primary's address however it was written, the project key in any case, the slug exact. */
export function repositoryIdentity(repository: { primaryBaseUrl: string; projectKey: string; slug: string }): string {
  let base = repository.primaryBaseUrl;
  try {
    base = normaliseBaseUrl(base);
  } catch {
    // Not an address: it can only match itself.
  }
  return `${base}\n${repository.projectKey.toUpperCase()}\n${repository.slug}`;
}

type RepositoryNamed = Parameters<typeof repositoryIdentity>[0];

/** Whether two records name the same repository (a clone's identity, a clones-list entry, a resumable note, a batch target). */
export const sameRepository = (a: RepositoryNamed, b: RepositoryNamed): boolean => repositoryIdentity(a) === repositoryIdentity(b);
