/**
 * Asks the primary where a repository can be cloned from (bitbucket-dc-api.md §0):
 * the repository's id and clone links, then every page of its mirrors (at the same time, when
 * the id is remembered from an earlier lookup), then each enabled
 * mirror's self link (as given, without credentials). Disabled mirrors and repositories a mirror
 * does not hold are listed with their status but not offered. Every clone URL passes the safety
 * gate before it can be offered; a hostile one is refused with a message naming the mirror.
 */
import { ContractError, manualMirrorCandidateId, primaryCandidateId } from '../../../shared/contract';
import type { CandidateStatus } from '../../../shared/contract';
import { checkCloneUrl } from '../../../shared/git-url-safety';
import type { BitbucketClient } from '../bitbucket/rest-client';
import { fetchMirroredRepository, type MirrorClientOptions } from '../bitbucket/mirror-client';
import { mirrorDescriptorSchema, repositorySchema, type BitbucketRepository, type MirrorDescriptor } from '../bitbucket/schemas';
import type { ManualMirror } from '../store/primaries-store';
import { manualMirrorGetsToken } from '../primaries/token-scope';
import { rememberedRepositoryIds, type RepositoryIds } from './repository-ids';

export interface CloneUrls {
  http?: string;
  ssh?: string;
}

/** A server the repository might be cloned from, before anything is measured. */
export interface FoundCandidate {
  id: string;
  name: string;
  kind: 'primary' | 'mirror';
  manual: boolean;
  baseUrl: string;
  cloneUrls: CloneUrls;
  /** Offered for cloning (subject to measurement); otherwise `status` and `reason` say why not. */
  offered: boolean;
  status: CandidateStatus;
  mirrorStatus?: string;
  available: boolean;
  insecure: boolean;
  reason?: string;
  /**
   * Whether the primary's credentials may go to this server: the primary and the mirrors it
   * advertised, yes; a mirror added by hand only once the user allowed its host by name.
   */
  sendsToken: boolean;
}

export interface FoundRepository {
  repository: BitbucketRepository;
  mirroring: 'available' | 'not-available';
  /** Why the primary's list of mirrors could not be read, when it answered it garbled or cut off. */
  mirrorsUnlisted?: string;
  candidates: FoundCandidate[];
}

/** Picks the http and ssh links, refusing any that fail the safety gate. */
function checkLinks(links: { href: string; name?: string }[], owner: string): { urls: CloneUrls; insecure: boolean; refused?: string } {
  const urls: CloneUrls = {};
  let insecure = false;
  for (const link of links) {
    const checked = checkCloneUrl(link.href);
    if (!checked.ok) return { urls: {}, insecure, refused: `${owner} advertised an unsafe clone URL (${checked.reason}); it is never passed to git.` };
    const name = link.name === 'ssh' || checked.protocol === 'ssh' ? 'ssh' : 'http';
    if (urls[name] === undefined) urls[name] = checked.url;
    if (name === 'http') insecure = checked.insecure;
  }
  return { urls, insecure };
}

const mirrorStatusToCandidate: Record<string, CandidateStatus> = {
  AVAILABLE: 'healthy',
  ERROR_AVAILABLE: 'healthy',
  NOT_MIRRORED: 'not-mirrored',
  INITIALIZING: 'initializing',
  ERROR_INITIALIZING: 'mirror-error',
};

async function describeMirror(descriptor: MirrorDescriptor, options: MirrorClientOptions): Promise<FoundCandidate> {
  const server = descriptor.mirrorServer;
  const base: FoundCandidate = {
    id: server.id,
    name: server.name,
    kind: 'mirror',
    manual: false,
    baseUrl: server.baseUrl.replace(/\/+$/, ''),
    cloneUrls: {},
    offered: false,
    status: 'unknown',
    available: false,
    insecure: server.baseUrl.startsWith('http:'),
    sendsToken: true,
  };
  if (!server.enabled) return { ...base, status: 'disabled', reason: `${server.name} is disabled by the Bitbucket administrators.` };
  let mirrored;
  try {
    mirrored = await fetchMirroredRepository(descriptor.links.self[0]!.href, server.name, options);
  } catch (error) {
    if (error instanceof ContractError && error.code === 'CANCELLED') throw error;
    if (error instanceof ContractError && error.code === 'NOT_FOUND') return { ...base, status: 'not-mirrored', reason: `${server.name} does not hold this repository.` };
    const code = error instanceof ContractError ? error.code : undefined;
    const unavailable = error instanceof ContractError && error.details?.httpStatus === 503;
    // A mirror that answered, but not with its repository (a web page, JSON cut short or of
    // another shape), is reachable and broken: passed over as a mirror error.
    const status: CandidateStatus = code === 'UNSAFE_URL' ? 'unsafe-url' : unavailable ? 'unhealthy' : code === 'NOT_BITBUCKET' ? 'mirror-error' : 'unreachable';
    return { ...base, status, reason: error instanceof Error ? error.message : String(error) };
  }
  const status = mirrorStatusToCandidate[mirrored.status] ?? 'mirror-error';
  const described = { ...base, mirrorStatus: mirrored.status, available: mirrored.available, status };
  if (!mirrored.available || status !== 'healthy') {
    const word = mirrored.status.toLowerCase().replaceAll('_', ' ');
    return { ...described, reason: `${server.name} reports the repository as ${word}.` };
  }
  const links = checkLinks(mirrored.cloneLinks, `Mirror "${server.name}"`);
  if (links.refused) return { ...described, status: 'unsafe-url', reason: links.refused };
  if (!links.urls.http && !links.urls.ssh) return { ...described, status: 'mirror-error', reason: `${server.name} gave no clone URL for the repository.` };
  return { ...described, cloneUrls: links.urls, insecure: links.insecure, offered: true };
}

function manualCandidate(mirror: ManualMirror, repository: BitbucketRepository): FoundCandidate {
  // A hand-added mirror is not advertised, so its URL follows Bitbucket's layout; the ref check
  // later tells whether it really holds the repository.
  const http = checkCloneUrl(`${mirror.baseUrl}/scm/${repository.project.key.toLowerCase()}/${repository.slug}.git`);
  const base = { id: manualMirrorCandidateId(mirror.baseUrl), name: mirror.name, kind: 'mirror' as const, manual: true, baseUrl: mirror.baseUrl, available: true, sendsToken: manualMirrorGetsToken(mirror) };
  if (!http.ok) return { ...base, cloneUrls: {}, offered: false, status: 'unsafe-url', insecure: false, reason: `${mirror.name}: ${http.reason}` };
  return { ...base, cloneUrls: { http: http.url }, offered: true, status: 'unknown', insecure: http.insecure };
}

/**
 * Asks every mirror at once. A mirror that has not answered long after the others did (3x the
 * first good answer's time, at least 1 s) cannot be the closest: it is not waited for, so one
 * blackholed mirror does not hold up the whole discovery until a timeout.
 */
async function describeMirrors(descriptors: MirrorDescriptor[], options: MirrorClientOptions): Promise<FoundCandidate[]> {
  const started = performance.now();
  const stragglers = new AbortController();
  let deadline: NodeJS.Timeout | undefined;
  const signal = options.signal ? AbortSignal.any([options.signal, stragglers.signal]) : stragglers.signal;
  try {
    return await Promise.all(
      descriptors.map(async (descriptor) => {
        try {
          const candidate = await describeMirror(descriptor, { ...options, signal });
          if (candidate.offered && !deadline) {
            const waitMs = Math.max(1_000, 3 * (performance.now() - started));
            deadline = setTimeout(() => stragglers.abort(), waitMs);
          }
          return candidate;
        } catch (error) {
          if (options.signal?.aborted || !stragglers.signal.aborted) throw error;
          const server = descriptor.mirrorServer;
          return {
            id: server.id, name: server.name, kind: 'mirror' as const, manual: false, baseUrl: server.baseUrl.replace(/\/+$/, ''), cloneUrls: {}, offered: false,
            status: 'unreachable' as const, available: false, insecure: server.baseUrl.startsWith('http:'), sendsToken: true,
            reason: `${server.name} did not answer in time, while other mirrors did.`,
          };
        }
      }),
    );
  } finally {
    clearTimeout(deadline);
  }
}

/** The primary's mirror list came back as something other than a list, or broke off mid-way. */
function unlisted(error: ContractError): boolean {
  return error.code === 'NOT_BITBUCKET' || (error.code === 'NETWORK' && error.details?.kind === 'reset');
}

interface MirrorList {
  descriptors: MirrorDescriptor[];
  mirroring: FoundRepository['mirroring'];
  mirrorsUnlisted?: string;
}

async function listMirrors(client: BitbucketClient, repositoryId: number, signal: AbortSignal | undefined): Promise<MirrorList> {
  try {
    return { descriptors: await client.getAllPages(`/rest/mirroring/1.0/repos/${repositoryId}/mirrors`, mirrorDescriptorSchema, { signal }), mirroring: 'available' };
  } catch (error) {
    // 409: "Mirroring is not available"; 404: a server without the mirroring API. Primary only.
    // A garbled or cut-off list, after the primary answered for the repository itself: the
    // primary can still serve the clone, so it goes ahead without the advertised mirrors.
    if (!(error instanceof ContractError) || !(unlisted(error) || error.code === 'CONFLICT' || error.code === 'NOT_FOUND')) throw error;
    return { descriptors: [], mirroring: 'not-available', mirrorsUnlisted: unlisted(error) ? error.message : undefined };
  }
}

export async function findCandidates(options: {
  client: BitbucketClient;
  projectKey: string;
  slug: string;
  manualMirrors: ManualMirror[];
  signal?: AbortSignal;
  mirrorOptions?: Omit<MirrorClientOptions, 'signal'>;
  /** Ids looked up before; default: the helper's own memory. */
  repositoryIds?: RepositoryIds;
}): Promise<FoundRepository> {
  const { client, signal, projectKey, slug } = options;
  const ids = options.repositoryIds ?? rememberedRepositoryIds;
  // With the id known from an earlier lookup, the mirror list is asked in the same round trip as
  // the repository, instead of one round trip to a possibly far primary after it.
  const knownId = ids.get(client.baseUrl, projectKey, slug);
  const dropGuess = new AbortController();
  const guessedList = knownId === undefined ? undefined : listMirrors(client, knownId, signal ? AbortSignal.any([signal, dropGuess.signal]) : dropGuess.signal);
  guessedList?.catch(() => {}); // awaited below, or dropped: never an unhandled rejection

  let repository: BitbucketRepository;
  try {
    repository = await client.getJson(`/rest/api/1.0/projects/${encodeURIComponent(projectKey)}/repos/${encodeURIComponent(slug)}`, repositorySchema, { signal });
  } catch (error) {
    dropGuess.abort();
    if (error instanceof ContractError && error.code === 'NOT_FOUND') {
      throw new ContractError('NOT_FOUND', `${projectKey}/${slug} does not exist on ${new URL(client.baseUrl).host}, or this account cannot see it.`, {
        hint: 'Check the project key and repository name.',
      });
    }
    throw error;
  }
  ids.set(client.baseUrl, projectKey, slug, repository.id);

  const primaryLinks = checkLinks(repository.links?.clone ?? [], 'The primary');
  if (primaryLinks.refused) {
    dropGuess.abort();
    throw new ContractError('UNSAFE_URL', primaryLinks.refused);
  }
  const primary: FoundCandidate = {
    id: primaryCandidateId,
    name: 'Primary',
    kind: 'primary',
    manual: false,
    baseUrl: client.baseUrl,
    cloneUrls: primaryLinks.urls,
    offered: true,
    status: 'unknown',
    available: true,
    insecure: primaryLinks.insecure,
    sendsToken: true,
  };

  // A repository deleted and created again under the same name has a new id: ask again.
  if (guessedList && knownId !== repository.id) dropGuess.abort();
  const { descriptors, mirroring, mirrorsUnlisted } = guessedList && knownId === repository.id ? await guessedList : await listMirrors(client, repository.id, signal);

  const advertised = await describeMirrors(descriptors, { ...options.mirrorOptions, signal });
  const manual = options.manualMirrors
    .filter((mirror) => !advertised.some((candidate) => candidate.baseUrl === mirror.baseUrl))
    .map((mirror) => manualCandidate(mirror, repository));
  return { repository, mirroring, mirrorsUnlisted, candidates: [primary, ...advertised, ...manual] };
}
