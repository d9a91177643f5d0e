import { describe, expect, it } from 'vitest';
import { throughputRankNeedsFullRoundTrips } from '../../electron/helper/discovery/throughput-figures';
import type { Candidate } from '../../shared/contract';

const MB = 1_000_000;

function row(id: string, figures: { rttMs?: number; slowerThanMs?: number; status?: Candidate['status'] }): Candidate {
  return {
    id,
    kind: id === 'primary' ? 'primary' : 'mirror',
    name: id,
    manual: false,
    baseUrl: `http://127.0.0.1/${id}`,
    cloneUrls: { http: `http://127.0.0.1/${id}/scm/p/r.git` },
    status: figures.status ?? 'healthy',
    available: true,
    rttMs: figures.rttMs ?? null,
    spreadMs: null,
    connectMs: null,
    samples: [],
    slowerThanMs: figures.slowerThanMs ?? null,
    behind: false,
    behindRefs: [],
    behindForMs: null,
    throughputBytesPerSec: null,
    throughputFrom: null,
    expectedMs: null,
    insecure: false,
    chosen: false,
    reason: '',
  } as Candidate;
}

describe('which servers a throughput measurement goes to', () => {
  // A near thin mirror decided the round trips early: the others are only "at least 12 ms".
  const earlyDecision = [row('near', { rttMs: 2 }), row('lagging', { rttMs: 12 }), row('fat', { slowerThanMs: 14 }), row('primary', { slowerThanMs: 13 })];

  it('waits for whole round trips when lower bounds would decide which few are measured', () => {
    expect(throughputRankNeedsFullRoundTrips(earlyDecision, 50 * MB)).toBe(true);
  });

  it('does not wait when every usable server is measured anyway, or the round trips are all known', () => {
    expect(throughputRankNeedsFullRoundTrips(earlyDecision.slice(0, 3), 50 * MB)).toBe(false);
    expect(throughputRankNeedsFullRoundTrips(earlyDecision, 50 * MB, { topCandidates: 4 })).toBe(false);
    const measured = [row('near', { rttMs: 2 }), row('lagging', { rttMs: 12 }), row('fat', { rttMs: 25 }), row('primary', { rttMs: 40 })];
    expect(throughputRankNeedsFullRoundTrips(measured, 50 * MB)).toBe(false);
  });

  it('does not wait for a repository too small to measure, nor count servers that cannot serve it', () => {
    expect(throughputRankNeedsFullRoundTrips(earlyDecision, 1 * MB)).toBe(false);
    expect(throughputRankNeedsFullRoundTrips(earlyDecision, null)).toBe(false);
    const oneDown = [...earlyDecision.slice(0, 3), row('primary', { slowerThanMs: 13, status: 'unreachable' })];
    expect(throughputRankNeedsFullRoundTrips(oneDown, 50 * MB)).toBe(false);
  });
});
