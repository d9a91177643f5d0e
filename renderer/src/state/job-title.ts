/**
 * What a clone job is called on its card: the repository (`PROJECT/slug`), not the folder, so two
 * clones of `monorepo` from different projects are told apart; with the primary's host when more
 * than one primary is connected.
 */
import type { CloneJob } from '../../../shared/contract';
import { parseRepositoryReference } from '../../../shared/repository-reference';

/** The host of an address, or undefined for one that is not a URL. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

export interface JobTitle {
  repository: string;
  /** The primary's host, only when it is needed to tell primaries apart and known. */
  host?: string;
}

export function jobTitle(job: CloneJob, connectedPrimaries: number): JobTitle {
  const parsed = parseRepositoryReference(job.repository);
  const repository = job.target
    ? `${job.target.projectKey}/${job.target.slug}`
    : parsed.ok
      ? `${parsed.reference.projectKey}/${parsed.reference.slug}`
      : job.repository;
  if (connectedPrimaries < 2) return { repository };
  const fromReference = parsed.ok && parsed.reference.server?.kind === 'http' ? parsed.reference.server.baseUrl : undefined;
  const host = hostOf(job.target?.primaryBaseUrl) ?? hostOf(job.params?.primary) ?? hostOf(fromReference);
  return host ? { repository, host } : { repository };
}

/** The folder a job clones into: known once the primary has answered, else the parent folder it was given. */
export function jobFolder(job: CloneJob): string | undefined {
  return job.result?.path ?? job.destination ?? job.params?.parentDirectory;
}
