import { describe, expect, it } from 'vitest';
import { choose, type CandidateMeasurement, type Freshness } from '../../electron/helper/discovery/choose';
import { foundCandidate, measuredAt } from '../support/found-candidate';

const candidate = foundCandidate;

const measured = measuredAt;

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

  it('keeps a close mirror that is behind: its top-up from the primary is counted, and the reason says so', () => {
    const freshness = new Map<string, Freshness>([['syd', { behind: true, refs: ['refs/heads/main'] }], ['fra', { behind: false, refs: [] }]]);
    const result = choose(found, new Map([['primary', measured(281)], ['syd', measured(12)], ['fra', measured(140)]]), freshness);
    expect(result.chosen).toBe('syd');
    expect(result.reason).toBe('Sydney: 12 ms median vs primary 281 ms median; behind on 1 ref, the rest comes from the primary');
    expect(result.candidates.find((row) => row.id === 'syd')).toMatchObject({ status: 'behind', behind: true, chosen: true, reason: 'Closest of the servers measured. It is behind on 1 ref; the rest comes from the primary.' });
  });

  it('prefers a current mirror when the top-up of a lagging one would cost more than it saves (a tiny repository, a far primary)', () => {
    const freshness = new Map<string, Freshness>([['syd', { behind: true, refs: ['refs/heads/main'] }], ['fra', { behind: false, refs: [] }]]);
    const result = choose(found, new Map([['primary', measured(281)], ['syd', measured(12)], ['fra', measured(20)]]), freshness, {}, { sizeBytes: 50_000 });
    expect(result.chosen).toBe('fra');
    expect(result.candidates.find((row) => row.id === 'syd')!.reason).toBe('Closer, but behind on 1 ref: the top-up from the primary would cost more than it saves.');
  });

  it('passes over a mirror that has stayed behind without catching up for longer than a sync should take, and says for how long', () => {
    const freshness = new Map<string, Freshness>([['syd', { behind: true, refs: ['refs/heads/main', 'refs/tags/v1'] }]]);
    const result = choose(found, new Map([['primary', measured(281)], ['syd', measured(12)], ['fra', measured(140)]]), freshness, {}, { behindForMs: new Map([['syd', 25 * 60_000]]) });
    expect(result.chosen).toBe('fra');
    expect(result.candidates.find((row) => row.id === 'syd')).toMatchObject({
      status: 'out-of-sync',
      behindForMs: 25 * 60_000,
      reason: 'Sydney has been behind the primary on 2 refs for 25 min without catching up: its sync looks broken.',
    });
    // Under the limit it is only behind, and still the choice.
    expect(choose(found, new Map([['primary', measured(281)], ['syd', measured(12)], ['fra', measured(140)]]), freshness, {}, { behindForMs: new Map([['syd', 4 * 60_000]]) }).chosen).toBe('syd');
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

  describe('by expected clone time', () => {
    const size = 200_000_000;
    const latencies = () => new Map([['primary', measured(281)], ['syd', measured(3)], ['fra', measured(25)]]);
    const figures = (entries: [string, number][]) => new Map(entries.map(([id, bytesPerSecond]) => [id, { bytesPerSecond, from: 'transfers' as const }]));

    it('takes the farther, fatter mirror over the near thin one, and says what decided', () => {
      const result = choose(found, latencies(), new Map(), {}, { sizeBytes: size, throughput: figures([['syd', 1_000_000], ['fra', 40_000_000]]) });
      expect(result.by).toBe('expected-time');
      expect(result.chosen).toBe('fra');
      expect(result.reason).toBe('Frankfurt: about 5 s at 40 MB/s here; Sydney is closer but delivers 1.0 MB/s (about 3 min)');
      const sydney = result.candidates.find((row) => row.id === 'syd')!;
      expect(sydney).toMatchObject({ throughputBytesPerSec: 1_000_000, throughputFrom: 'transfers', reason: 'Closer, but a clone from it is expected to take longer than from Frankfurt.' });
      // set-up (connect + 3 round trips) + 200 MB at 1 MB/s
      expect(sydney.expectedMs).toBe(Math.round(4 * 3 + 200_000));
      expect(result.candidates.find((row) => row.id === 'fra')).toMatchObject({ chosen: true, reason: 'Quickest expected clone of the servers measured.' });
    });

    it('keeps the near one when it delivers as well', () => {
      const result = choose(found, latencies(), new Map(), {}, { sizeBytes: size, throughput: figures([['syd', 40_000_000], ['fra', 40_000_000]]) });
      expect(result.chosen).toBe('syd');
      expect(result.reason).toMatch(/^Sydney: about 5 s at 40 MB\/s here; next: Frankfurt, about 5 s$/);
    });

    it('still ranks by throughput when the size is unknown, presuming a typical size, and shows no expected time', () => {
      const result = choose(found, latencies(), new Map(), {}, { sizeBytes: null, throughput: figures([['syd', 1_000_000], ['fra', 40_000_000]]) });
      expect(result.by).toBe('expected-time');
      expect(result.chosen).toBe('fra');
      expect(result.reason).toBe('Frankfurt: 40 MB/s here (size not known); Sydney is closer but delivers 1.0 MB/s');
      expect(result.candidates.every((row) => row.expectedMs === null)).toBe(true);
    });

    it('ranks by round trip when no throughput is known at all, however big the repository', () => {
      const result = choose(found, latencies(), new Map(), {}, { sizeBytes: size });
      expect(result.by).toBe('latency');
      expect(result.chosen).toBe('syd');
      expect(result.reason).toBe('Sydney: 3.0 ms median vs primary 281 ms median');
    });

    it('counts an unmeasured source as unknown, not as fast: it shows no expected time, and the reason says it was not measured', () => {
      const result = choose(found, latencies(), new Map(), {}, { sizeBytes: size, throughput: figures([['fra', 2_000_000]]) });
      expect(result.chosen).toBe('syd');
      expect(result.candidates.find((row) => row.id === 'syd')).toMatchObject({ expectedMs: null, throughputBytesPerSec: null });
      expect(result.reason).toBe('Sydney: 3.0 ms median, throughput not measured; next: Frankfurt, about 2 min');
      expect(result.candidates.find((row) => row.id === 'primary')!.reason).toBe('Throughput not measured; by its round trip, a clone from it is expected to take longer than from Sydney.');
    });

    it('adds the top-up from the primary to a lagging mirror, and still takes it when it saves time', () => {
      const freshness = new Map<string, Freshness>([['syd', { behind: true, refs: ['refs/heads/main'] }]]);
      const result = choose(found, latencies(), freshness, {}, { sizeBytes: size, throughput: figures([['syd', 40_000_000], ['fra', 20_000_000]]) });
      expect(result.chosen).toBe('syd');
      expect(result.candidates.find((row) => row.id === 'syd')!.expectedMs).toBe(Math.round(4 * 3 + 5_000 + 4 * 281));
      expect(result.reason).toContain('; behind on 1 ref, the rest comes from the primary');
    });

    it('honours a pin and a Bitbucket preference, and shows the quickest expected beside it', () => {
      const throughput = figures([['syd', 1_000_000], ['fra', 40_000_000]]);
      const pinned = choose(found, latencies(), new Map(), { pinned: 'syd' }, { sizeBytes: size, throughput });
      expect(pinned.chosen).toBe('syd');
      expect(pinned.by).toBe('pin');
      expect(pinned.reason).toBe('Sydney: pinned by you, 3.0 ms median (quickest expected: Frankfurt, about 5 s at 40 MB/s here)');
      expect(pinned.candidates.find((row) => row.id === 'fra')!.reason).toBe('Quickest expected, but Sydney is pinned by you.');
      const preferred = choose(found, latencies(), new Map(), { bitbucketPreferred: 'syd' }, { sizeBytes: size, throughput });
      expect(preferred).toMatchObject({ chosen: 'syd', by: 'preference' });
    });
  });
});
