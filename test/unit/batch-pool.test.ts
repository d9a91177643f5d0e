import { describe, expect, it } from 'vitest';
import { runPool } from '../../electron/helper/clone/batch/pool';
import { adaptiveLimit } from '../../electron/helper/clone/batch/adaptive-limit';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the batch pool', () => {
  it('never runs more than the limit, spaces the first wave, and replaces a finished one at once', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const t0 = performance.now();
    await runPool([1, 2, 3, 4, 5, 6], {
      limit: () => 3,
      staggerMs: 40,
      work: async () => {
        started.push(performance.now() - t0);
        most = Math.max(most, ++running);
        await sleep(150);
        running -= 1;
      },
    }).done;
    expect(most).toBe(3);
    expect(started).toHaveLength(6);
    // The first three 40 ms apart; each of the next three right after one of those ends.
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(35);
    expect(started[2]! - started[1]!).toBeGreaterThanOrEqual(35);
    expect(started[3]! - started[0]!).toBeGreaterThanOrEqual(145);
    expect(started[3]! - started[0]!).toBeLessThan(250);
  });

  it('a raised limit starts more; an empty list is done at once', async () => {
    let limit = 1;
    let most = 0;
    let running = 0;
    const pool = runPool([1, 2, 3, 4], {
      limit: () => limit,
      work: async () => {
        most = Math.max(most, ++running);
        await sleep(50);
        running -= 1;
      },
      onFinished: () => (limit = 2),
    });
    await pool.done;
    expect(most).toBe(2);
    await runPool([], { limit: () => 1, work: async () => {} }).done;
  });
});

describe('raising the number at once while it pays', () => {
  it('raises while more at once moves clearly more, and stops when the link is full', () => {
    const limit = adaptiveLimit({ initial: 2, cap: 8, singleRate: 700_000 });
    limit.sample(0, 0);
    // Two at once moved 1 MB/s: more than one transfer alone (700 KB/s) by far.
    limit.sample(3_000_000, 3_000);
    expect(limit.finished(3_000)).toBe(false);
    expect(limit.finished(3_000)).toBe(true);
    expect(limit.limit()).toBe(3);
    // Three at once moved no more than two: the link is full, and it stays at three.
    limit.sample(6_100_000, 6_000);
    for (let count = 0; count < 3; count += 1) limit.finished(6_000);
    expect(limit.limit()).toBe(3);
    limit.sample(20_000_000, 9_000);
    for (let count = 0; count < 6; count += 1) expect(limit.finished(9_000)).toBe(false);
  });

  it('judges a level only after every clone of it had a turn and some seconds passed; never past the cap', () => {
    const limit = adaptiveLimit({ initial: 2, cap: 3, singleRate: 100 });
    limit.sample(0, 0);
    limit.sample(1_000_000, 500);
    expect([limit.finished(500), limit.finished(500)]).toEqual([false, false]);
    limit.sample(2_000_000, 2_500);
    expect(limit.finished(2_500)).toBe(true);
    limit.sample(9_000_000, 6_000);
    for (let count = 0; count < 4; count += 1) expect(limit.finished(6_000)).toBe(false);
    expect(limit.limit()).toBe(3);
    expect(adaptiveLimit({ initial: 2, cap: 8, singleRate: null }).finished(10_000)).toBe(false);
  });
});
