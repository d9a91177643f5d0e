/** Discovery results as tests write them: a candidate row with every field, and a result around rows. */
import type { Candidate, DiscoveryResult } from '../../shared/contract';

export function candidateRow(id: string, extra: Partial<Candidate> = {}): Candidate {
  return {
    id, name: id, kind: id.toLowerCase() === 'primary' ? 'primary' : 'mirror', manual: false, baseUrl: `https://${id}.example`, cloneUrls: {},
    status: 'healthy', available: true, rttMs: null, spreadMs: null, connectMs: null, samples: [], slowerThanMs: null,
    behind: false, behindRefs: [], behindForMs: null, throughputBytesPerSec: null, throughputFrom: null, expectedMs: null,
    insecure: false, chosen: false, reason: '', ...extra,
  };
}

export function discoveryResultOf(candidates: Candidate[], extra: Partial<DiscoveryResult> = {}): DiscoveryResult {
  return {
    repository: { id: 1, projectKey: 'PROJ', slug: 'repo', name: 'repo', primaryBaseUrl: 'https://primary.example', cloneUrls: {}, sizeBytes: null },
    mirroring: 'available', candidates, chosen: candidates.find((candidate) => candidate.chosen)?.id ?? null, reason: '',
    decidedBy: 'latency', throughputProbe: null, largeFiles: { usesLfs: 'unknown', patterns: [], morePatterns: 0, gitLfsInstalled: null }, measuredAt: '', fromCache: false, durationMs: 1, ...extra,
  };
}
