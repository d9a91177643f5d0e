/**
 * How big a repository is, as its primary estimates it (the sum of its pack files): what a full
 * clone will roughly transfer. Bitbucket answers `{base}/projects/{KEY}/repos/{slug}/sizes`, a
 * page behind the repository settings rather than the REST API, so it is optional: any failure
 * means "size unknown", never a failed discovery.
 *
 * Releases 8.9.22+, 8.19.12+ and 9.3.2+ refuse access tokens outside /rest and /scm, and repeated
 * refused attempts can lock the account (bitbucket-dc-api.md §5). A token is therefore sent there
 * only to a release known to predate that rule; a password always works. A primary that is not
 * connected (a CI run with a token in the environment) has no stored release: it is asked for its
 * application properties first, a public REST call that needs no credential.
 */
import { repositoryOwnerPath } from './repository-owner';
import { z } from 'zod';
import { ContractError } from '../../../shared/contract';
import type { BitbucketClient, PrimaryCredentials } from './rest-client';
import { applicationPropertiesSchema } from './schemas';

const sizesSchema = z.object({ repository: z.number().nonnegative(), attachments: z.number().nonnegative().optional() });

/** The first release of each line that limits access tokens to /rest and /scm. */
const tokenRuleSince: Record<string, number> = { '8.9': 22, '8.19': 12 };

/** Whether an access token can be sent outside /rest and /scm without being refused. */
export function acceptsTokensOutsideRest(version: string | undefined): boolean {
  if (!version) return false;
  const [major = NaN, minor = NaN, patch = NaN] = version.split('.').map(Number);
  if (![major, minor, patch].every(Number.isInteger)) return false;
  if (major > 9 || (major === 9 && (minor > 3 || (minor === 3 && patch >= 2)))) return false;
  const since = tokenRuleSince[`${major}.${minor}`];
  if (since !== undefined) return patch < since;
  // Lines between 8.9 and 8.19 ended before the rule; 8.20+ does not exist; 9.0 to 9.3.1 predate it.
  return true;
}

export interface RepositorySizeQuery {
  client: BitbucketClient;
  credentials?: PrimaryCredentials;
  /** The primary's version, when known (or being asked); without it, it is asked before a token is risked. */
  version?: string | Promise<string | undefined>;
  projectKey: string;
  slug: string;
  signal?: AbortSignal;
}

/** The primary's release from its application properties (public: no credential is sent); undefined when it does not say. */
export async function askRelease(client: BitbucketClient, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return (await client.getJson('/rest/api/1.0/application-properties', applicationPropertiesSchema, { signal, authenticated: false })).version;
  } catch (error) {
    if (error instanceof ContractError && error.code === 'CANCELLED') throw error;
    return undefined;
  }
}

/** Bytes, or undefined when the primary does not say (or cannot be asked safely). */
export async function fetchRepositorySize(query: RepositorySizeQuery): Promise<number | undefined> {
  const { credentials } = query;
  if (!credentials) return undefined;
  const version = credentials.kind === 'token' ? await (query.version ?? askRelease(query.client, query.signal)) : undefined;
  if (credentials.kind === 'token' && !acceptsTokensOutsideRest(version)) return undefined;
  try {
    const sizes = await query.client.getJson(`/${repositoryOwnerPath(query.projectKey)}/repos/${encodeURIComponent(query.slug)}/sizes`, sizesSchema, { signal: query.signal });
    return sizes.repository;
  } catch (error) {
    if (error instanceof ContractError && error.code === 'CANCELLED') throw error;
    return undefined;
  }
}
