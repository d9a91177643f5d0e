/** Discovery's candidates and measurements as the choice's unit tests write them. */
import type { CandidateMeasurement } from '../../electron/helper/discovery/choose';
import type { FoundCandidate } from '../../electron/helper/discovery/find-candidates';

/** A candidate Bitbucket offers, at `https://<id>.example.com`; `extra` overrides any field. */
export function foundCandidate(id: string, name: string, extra: Partial<FoundCandidate> = {}): FoundCandidate {
  return {
    id,
    name,
    kind: id === 'primary' ? 'primary' : 'mirror',
    manual: false,
    baseUrl: `https://${id}.example.com`,
    cloneUrls: { http: `https://${id}.example.com/scm/p/r.git` },
    offered: true,
    status: 'unknown',
    available: true,
    sendsToken: true,
    insecure: false,
    ...extra,
  };
}

/** Round trips measured at `medianMs`. */
export const measuredAt = (medianMs: number): CandidateMeasurement => ({ outcome: 'measured', medianMs, spreadMs: 1, samplesMs: [medianMs] });
