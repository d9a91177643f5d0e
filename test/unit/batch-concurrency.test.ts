import { describe, expect, it } from 'vitest';
import { chooseConcurrency, setUpMs, unmeasuredJobs } from '../../electron/helper/clone/batch/concurrency';
import { totalsOf } from '../../electron/helper/clone/batch/totals';
import type { BatchItem } from '../../shared/contract';

const office = { sourceRttMs: 20, primaryRttMs: 150 };

describe('how many clones of a batch run at once', () => {
  it('a thin link with sizeable repositories: one or two, since more would only split the link', () => {
    // 20 MB at 250 KB/s is 80 s of transfer against under 2 s of set-up.
    const choice = chooseConcurrency({ ...office, bytesPerSecond: 250_000, typicalSizeBytes: 20_000_000 }, 12);
    expect(choice.jobs).toBe(1);
    expect(choice.reason).toMatch(/^1 at once: 250 KB\/s per transfer, about 80\.0 s for a 20 MB repository against 1\.6 s of set-up each \(estimated\)$/);
    expect(choice.staggerMs).toBeUndefined();
    // One transferring while the next sets up; the second starts half a cycle after the first.
    expect(chooseConcurrency({ ...office, bytesPerSecond: 1_000_000, typicalSizeBytes: 2_000_000 }, 12)).toMatchObject({ jobs: 2, staggerMs: 1_790 });
  });

  it('a set-up measured on this link wins over the estimate from round trips', () => {
    const measured = chooseConcurrency({ ...office, bytesPerSecond: 1_000_000, typicalSizeBytes: 1_000_000, setUpMs: 5_000 }, 12);
    expect(measured).toMatchObject({ jobs: 6, staggerMs: 1_000 });
    expect(measured.reason).toContain('against 5.0 s of set-up each (measured)');
  });

  it('a fat link with small repositories: as many as overlap the set-ups, within the cap and the count', () => {
    const fat = { ...office, bytesPerSecond: 50_000_000, typicalSizeBytes: 5_000_000 };
    // 0.1 s of transfer against 1.6 s of set-up.
    expect(chooseConcurrency(fat, 40).jobs).toBe(16);
    expect(chooseConcurrency(fat, 40, 6).jobs).toBe(6);
    expect(chooseConcurrency(fat, 5).jobs).toBe(5);
    expect(chooseConcurrency({ ...fat, typicalSizeBytes: 50_000_000 }, 40).jobs).toBe(3);
  });

  it('farther servers mean longer set-ups, so more clones overlap them', () => {
    const figures = { bytesPerSecond: 2_000_000, typicalSizeBytes: 4_000_000 };
    const near = chooseConcurrency({ ...figures, sourceRttMs: 5, primaryRttMs: 5 }, 20).jobs;
    const far = chooseConcurrency({ ...figures, sourceRttMs: 100, primaryRttMs: 400 }, 20).jobs;
    expect(near).toBe(2);
    expect(far).toBeGreaterThan(near);
    expect(setUpMs({ sourceRttMs: 100, primaryRttMs: 400 })).toBe(300 + 8 * 400 + 4 * 100);
  });

  it('nothing measured: a few at once, and never more than there are repositories', () => {
    expect(chooseConcurrency({ bytesPerSecond: null, sourceRttMs: null, primaryRttMs: null, typicalSizeBytes: 1_000 }, 10)).toEqual({ jobs: unmeasuredJobs, reason: `${unmeasuredJobs} at once: the link is not measured yet` });
    expect(chooseConcurrency({ ...office, bytesPerSecond: 1_000, typicalSizeBytes: null }, 2).jobs).toBe(2);
    expect(chooseConcurrency({ ...office, bytesPerSecond: 1e9, typicalSizeBytes: 1 }, 1).jobs).toBe(1);
  });
});

describe('a batch\'s overall progress', () => {
  const item = (patch: Partial<BatchItem>): BatchItem => ({ repository: 'P/r', path: '/x', state: 'waiting', alreadyThere: false, ...patch });

  it('counts what is present, takes the rate over the last seconds and the time left from sizes', () => {
    const items = [
      item({ state: 'done', alreadyThere: true, receivedBytes: 999 }),
      item({ state: 'done', receivedBytes: 4_000_000, expectedBytes: 4_000_000 }),
      item({ state: 'cloning', receivedBytes: 1_000_000, expectedBytes: 4_000_000 }),
      item({ state: 'waiting' }),
      item({ state: 'failed' }),
    ];
    const totals = totalsOf(items, [{ at: 0, bytes: 0 }, { at: 1_000, bytes: 1_000_000 }, { at: 8_000, bytes: 3_000_000 }, { at: 10_000, bytes: 5_000_000 }], 10_000);
    expect(totals).toEqual({ repositories: 5, done: 2, alreadyThere: 1, failed: 1, cancelled: 0, receivedBytes: 5_000_000, bytesPerSecond: 1_000_000, etaSeconds: 7 });
  });

  it('without sizes, the time left follows from how long the finished clones took; nothing to go on says so', () => {
    const items = [item({ state: 'done', receivedBytes: 10 }), item({ state: 'cloning' }), item({ state: 'waiting' })];
    expect(totalsOf(items, [], 30_000).etaSeconds).toBe(60);
    expect(totalsOf([item({ state: 'cloning' })], [], 30_000)).toMatchObject({ etaSeconds: null, bytesPerSecond: null });
    expect(totalsOf([item({ state: 'done' })], [], 30_000).etaSeconds).toBe(0);
  });
});
