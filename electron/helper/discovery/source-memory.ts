/**
 * Which server the last discovery for a primary chose on this network, kept so that the next
 * clone from that primary can start its transfer at once, from the same server, while the far
 * primary's REST answers are still on their way (a head start; the clone corrects course when
 * the answers disagree).
 *
 * A server is remembered with its clone URL layout rather than one repository's URL: Bitbucket
 * serves every repository at `{base}/scm/{project}/{slug}.git` over HTTP(S) and at
 * `{ssh}/{project}/{slug}.git` over SSH, so one answer tells where any other repository of the
 * same primary would be. A server whose URLs do not follow that layout is not remembered.
 */
import { z } from 'zod';
import type { CloneSource, DiscoveryResult } from '../../../shared/contract';
import { openKeyedRecords } from '../store/keyed-records';
import { checkCloneUrl } from '../../../shared/git-url-safety';
import type { FoundCandidate } from './find-candidates';

const rememberedSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['primary', 'mirror']),
  /** Everything before `/scm/{project}/{slug}.git`. */
  httpPrefix: z.string().optional(),
  /** Everything before `/{project}/{slug}.git`. */
  sshPrefix: z.string().optional(),
  /** The primary vouched for it: its credentials may go there. */
  sendsToken: z.boolean(),
  storedAt: z.number(),
});
export type RememberedSource = z.infer<typeof rememberedSchema>;

export interface SourceMemory {
  remember(networkId: string, result: DiscoveryResult, found: FoundCandidate[]): void;
  /** The source to start from for this repository, with its URL for the protocol, if one is remembered. */
  recall(networkId: string, primaryBaseUrl: string, repository: { projectKey: string; slug: string }, protocol: 'http' | 'ssh'): { source: CloneSource; remembered: RememberedSource } | undefined;
}

/** How long a choice is trusted for a head start (the clone checks it anyway). */
const keepMs = 24 * 60 * 60_000;

const repositoryPath = (projectKey: string, slug: string) => `/${projectKey.toLowerCase()}/${slug.toLowerCase()}.git`;

function prefixBefore(url: string | undefined, suffix: string): string | undefined {
  if (!url || !url.toLowerCase().endsWith(suffix)) return undefined;
  return url.slice(0, url.length - suffix.length);
}

export function createSourceMemory(options: { dataDir?: string; now?: () => number } = {}): SourceMemory {
  const now = options.now ?? Date.now;
  const stored = openKeyedRecords(options.dataDir, 'head-start', rememberedSchema);
  const keyOf = (networkId: string, primaryBaseUrl: string) => `${networkId} ${primaryBaseUrl.replace(/\/+$/, '')}`;
  // A clock that went backwards makes a choice look made in the future: not trusted either.
  const isFresh = (remembered: RememberedSource, at: number) => remembered.storedAt <= at && at - remembered.storedAt < keepMs;

  return {
    remember(networkId, result, found) {
      const chosen = result.candidates.find((candidate) => candidate.chosen);
      const candidate = chosen && found.find((entry) => entry.id === chosen.id);
      if (!chosen || !candidate || candidate.manual) return;
      const path = repositoryPath(result.repository.projectKey, result.repository.slug);
      const httpPrefix = prefixBefore(chosen.cloneUrls.http, `/scm${path}`);
      const sshPrefix = prefixBefore(chosen.cloneUrls.ssh, path);
      if (!httpPrefix && !sshPrefix) return;
      const at = now();
      const entry: RememberedSource = { id: chosen.id, name: chosen.name, kind: chosen.kind, httpPrefix, sshPrefix, sendsToken: candidate.kind === 'primary' || candidate.sendsToken, storedAt: at };
      const kept = Object.fromEntries(Object.entries(stored.all()).filter(([, value]) => isFresh(value, at)));
      kept[keyOf(networkId, result.repository.primaryBaseUrl)] = entry;
      stored.replace(kept);
    },
    recall(networkId, primaryBaseUrl, repository, protocol) {
      const remembered = stored.all()[keyOf(networkId, primaryBaseUrl)];
      if (!remembered || !isFresh(remembered, now())) return undefined;
      const path = repositoryPath(repository.projectKey, repository.slug);
      const url = protocol === 'http' ? remembered.httpPrefix && `${remembered.httpPrefix}/scm${path}` : remembered.sshPrefix && `${remembered.sshPrefix}${path}`;
      // The file is on disk: what comes back from it passes the same URL check as a server's answer.
      if (!url || !checkCloneUrl(url).ok) return undefined;
      return { source: { id: remembered.id, name: remembered.name, kind: remembered.kind, url }, remembered };
    },
  };
}
