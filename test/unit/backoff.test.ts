import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../shared/backoff';

describe('backoffDelay', () => {
  const policy = { baseMs: 100, maxMs: 1_000, jitter: 0.5 };

  it('doubles per attempt up to the cap without jitter', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, policy, noJitter))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('takes off at most the jitter fraction', () => {
    expect(backoffDelay(2, policy, () => 1)).toBe(200);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(300);
  });
});
