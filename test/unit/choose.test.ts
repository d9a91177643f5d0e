import { describe, expect, it } from 'vitest';
import { choose, type CandidateMeasurement, type Freshness } from '../../electron/helper/discovery/choose';
import type { FoundCandidate } from '../../electron/helper/discovery/find-candidates';

function candidate(id: string, name: string, extra: Partial<FoundCandidate> = {}): FoundCandidate {
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

const measured = (medianMs: number): CandidateMeasurement => ({ outcome: 'measured', medianMs, spreadMs: 1, samplesMs: [medianMs] });

const found = [candidate('primary', 'Primary'), candidate('syd', 'Sydney'), candidate('fra', 'Frankfurt'), candidate('off', 'Old mirror', { offered: false, status: 'disabled', reason: 'Old mirror is disabled by the Bitbucket administrators.' })];

describe('choose', () => {
  it('takes the lowest median among healthy candidates and says why in one line', () => {
    const result = choose(found, new Map([['primary', measured(281)], ['syd', measured(12)], ['fra', measured(140)]]), new Map());
    expect(result.chosen).toBe('syd');
    expect(result.reason).toBe('Sydney: 12 ms median vs primary 281 ms median');
    expect(result.candidates.map((row) => row.reason).slice(0, 3)).toEqual(['Slower to answer than Sydney.', 'Closest of the servers measured.', 'Slower to answer than Sydney.']);
    expect(result.candidates.filter((row) => row.chosen).map((row) => row.id)).toEqual(['syd']);
    expect(result.candidates.find((row) => row.id === 'off')).toMatchObject({ status: 'disabled', chosen: false, reason: expect.stringContaining('disabled') });
  });

  it('never picks a mirror that is behind, however close', () => {
    const freshness = new Map<string, Freshness>([['syd', { behind: true, refs: ['refs/heads/main'] }], ['fra', { behind: false, refs: [] }]]);
    const result = choose(found, new Map([['primary', measured(281)], ['syd', measured(12)], ['fra', measured(140)]]), freshness);
    expect(result.chosen).toBe('fra');
    expect(result.candidates.find((row) => row.id === 'syd')).toMatchObject({ status: 'behind', behind: true, reason: 'Sydney is behind the primary on 1 ref.' });
  });

  it('skips unreachable and unhealthy candidates', () => {
    const measurements = new Map<string, CandidateMeasurement>([
      ['primary', measured(281)],
      ['syd', { outcome: 'unreachable', samplesMs: [], detail: 'refused' }],
      ['fra', { outcome: 'unhealthy', samplesMs: [5], medianMs: 5, detail: 'MAINTENANCE' }],
    ]);
    const result = choose(found, measurements, new Map());
    expect(result.chosen).toBe('primary');
    expect(result.candidates.find((row) => row.id === 'fra')?.status).toBe('unhealthy');
  });

  it('reports a primary ruled out early by its lower bound', () => {
    const measurements = new Map<string, CandidateMeasurement>([
      ['primary', { outcome: 'slower', samplesMs: [], lowerBoundMs: 40 }],
      ['syd', measured(5)],
    ]);
    const result = choose(found.slice(0, 2), measurements, new Map());
    expect(result.reason).toBe('Sydney: 5.0 ms median vs primary, which could not beat it');
    // Each row's Why gives the reason; the figures stay in the latency column and the reason line.
    expect(result.candidates.map((row) => row.reason)).toEqual(['Stopped measuring: could not beat Sydney.', 'Closest of the servers measured.']);
  });

  it('honours a usable pin, and shows what the measurement would have picked', () => {
    const result = choose(found, new Map([['primary', measured(281)], ['syd', measured(12)], ['fra', measured(140)]]), new Map(), { pinned: 'fra' });
    expect(result.chosen).toBe('fra');
    expect(result.reason).toBe('Frankfurt: pinned by you, 140 ms median (closest measured: Sydney, 12 ms median)');
    expect(result.candidates.find((row) => row.id === 'fra')!.reason).toBe('Pinned by you.');
    expect(result.candidates.find((row) => row.id === 'syd')!.reason).toBe('Closest measured, but Frankfurt is pinned by you.');
  });

  it('falls back to measurement when the pin is not usable, and says so', () => {
    const measurements = new Map<string, CandidateMeasurement>([['primary', measured(281)], ['syd', measured(12)], ['fra', { outcome: 'unreachable', samplesMs: [] }]]);
    const result = choose(found, measurements, new Map(), { pinned: 'fra' });
    expect(result.chosen).toBe('syd');
    expect(result.reason).toContain('your pin Frankfurt is not usable now (unreachable)');
  });

  it("honours Bitbucket's preferred mirror below a local pin", () => {
    const measurements = new Map([['primary', measured(281)], ['syd', measured(12)], ['fra', measured(140)]]);
    expect(choose(found, measurements, new Map(), { bitbucketPreferred: 'fra' }).chosen).toBe('fra');
    expect(choose(found, measurements, new Map(), { bitbucketPreferred: 'fra', pinned: 'primary' }).chosen).toBe('primary');
  });

  it('chooses nothing when nothing can serve', () => {
    const down: CandidateMeasurement = { outcome: 'unreachable', samplesMs: [] };
    const result = choose(found, new Map([['primary', down], ['syd', down], ['fra', down]]), new Map());
    expect(result.chosen).toBeNull();
    expect(result.reason).toMatch(/No server can serve/);
  });
});
