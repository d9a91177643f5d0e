/**
 * Which repositories a batch clones, and where each goes: every repository of the named
 * projects (read page by page from the primary; archived ones only when asked), then the
 * references given one by one. A repository named twice is cloned once; two repositories that
 * would land in the same folder are refused before anything starts.
 */
import path from 'node:path';
import type { z } from 'zod';
import { ContractError, type cloneBatchStartParamsSchema } from '../../../../shared/contract';
import { createBitbucketClient, normaliseBaseUrl, type BitbucketClientOptions } from '../../bitbucket/rest-client';
import { repositorySchema } from '../../bitbucket/schemas';
import type { CredentialSource } from '../../primaries/credentials';
import type { PrimariesStore } from '../../store/primaries-store';
import { resolveTarget } from '../../discovery/resolve-target';
import { folderNameFor } from '../destination';
import type { CloneParams } from '../run-clone';
import { repositoryIdentity } from '../identity';

export type BatchStartParams = z.output<typeof cloneBatchStartParamsSchema>;

/** One repository of a batch: who it is, where it goes, and the single clone that makes it. */
export interface BatchTarget {
  /** KEY/slug. */
  label: string;
  primaryBaseUrl: string;
  projectKey: string;
  slug: string;
  path: string;
  clone: CloneParams;
}

export interface ResolveListDeps {
  primaries: PrimariesStore;
  credentials: CredentialSource;
  clientOptions(): Promise<Pick<BitbucketClientOptions, 'ca' | 'pool' | 'request'>>;
}

const usageMistake = { usage: true };

/** The primary project keys are listed on: the one named, or the only one connected. */
function primaryForProjects(named: string | undefined, store: PrimariesStore): { baseUrl: string; named: boolean } {
  if (named) return { baseUrl: normaliseBaseUrl(named), named: true };
  const connected = store.list();
  if (connected.length === 1) return { baseUrl: connected[0]!.baseUrl, named: false };
  throw new ContractError('INVALID_PARAMS', connected.length === 0 ? 'No primary is connected, so the projects cannot be listed.' : 'Several primaries are connected; the projects could be on any of them.', {
    hint: 'Choose the primary the projects are on.',
    terminalHint: 'Pass --primary URL (or set MIRROR_CLONE_PRIMARY; MIRROR_CLONE_TOKEN then signs in).',
    details: usageMistake,
  });
}

async function listProject(key: string, primary: { baseUrl: string; named: boolean }, includeArchived: boolean, deps: ResolveListDeps, signal: AbortSignal) {
  const credentials = await deps.credentials.forPrimary(primary.baseUrl, { named: primary.named });
  const client = createBitbucketClient({ ...(await deps.clientOptions()), baseUrl: primary.baseUrl, credentials });
  try {
    // The project's own listing answers 404 for a project that does not exist (or cannot be
    // seen), where /repos?projectkey= would answer an empty list and hide the typo.
    const repositories = await client.getAllPages(`/rest/api/1.0/projects/${encodeURIComponent(key)}/repos`, repositorySchema, { signal });
    return repositories.filter((repository) => includeArchived || repository.archived !== true);
  } catch (error) {
    if (error instanceof ContractError && error.code === 'NOT_FOUND') {
      throw new ContractError('NOT_FOUND', `Project ${key} does not exist on ${primary.baseUrl}, or this account cannot see it.`, {
        hint: 'Check the project key (Browse lists the projects you can see).',
        terminalHint: 'Check the project key; mirror-clone discover and the primary\'s Projects page show what exists.',
        details: usageMistake,
      });
    }
    throw error;
  }
}

export async function resolveBatchList(params: BatchStartParams, deps: ResolveListDeps, signal: AbortSignal): Promise<BatchTarget[]> {
  if (params.projects.length === 0 && params.repositories.length === 0) {
    throw new ContractError('INVALID_PARAMS', 'Name at least one project or repository to clone.', { details: usageMistake });
  }
  const parent = path.resolve(params.parentDirectory);
  const destination = (projectKey: string, slug: string) => (params.layout === 'by-project' ? path.join(parent, folderNameFor(projectKey), folderNameFor(slug)) : path.join(parent, folderNameFor(slug)));
  const targets: BatchTarget[] = [];
  const seen = new Set<string>();
  const add = (primaryBaseUrl: string, projectKey: string, slug: string, clone: Omit<CloneParams, 'parentDirectory' | 'folderName' | 'protocol' | 'source'>) => {
    const identity = repositoryIdentity({ primaryBaseUrl, projectKey, slug });
    if (seen.has(identity)) return;
    seen.add(identity);
    const target = destination(projectKey, slug);
    targets.push({
      label: `${projectKey}/${slug}`,
      primaryBaseUrl,
      projectKey,
      slug,
      path: target,
      clone: { ...clone, parentDirectory: path.dirname(target), folderName: path.basename(target), protocol: params.protocol, source: 'auto' },
    });
  };

  if (params.projects.length > 0) {
    const primary = primaryForProjects(params.primary, deps.primaries);
    for (const key of params.projects) {
      for (const repository of await listProject(key, primary, params.includeArchived, deps, signal)) {
        const projectKey = repository.project.key;
        // Named by its primary's address, so each clone signs in as the listing did.
        add(primary.baseUrl, projectKey, repository.slug, { repository: `${projectKey}/${repository.slug}`, primary: primary.named ? primary.baseUrl : undefined });
      }
    }
  }
  for (const reference of params.repositories) {
    const target = resolveTarget(reference, params.primary, deps.primaries);
    add(target.baseUrl, target.projectKey, target.slug, { repository: reference, primary: params.primary });
  }

  const byPath = new Map<string, string>();
  for (const target of targets) {
    const other = byPath.get(target.path);
    if (other) {
      throw new ContractError('INVALID_PARAMS', `${other} and ${target.label} would both be cloned into ${target.path}.`, {
        hint: 'Put each project in its own folder.',
        terminalHint: 'Add --by-project to put each project in its own folder (DIR/KEY/slug).',
        details: usageMistake,
      });
    }
    byPath.set(target.path, target.label);
  }
  return targets;
}
