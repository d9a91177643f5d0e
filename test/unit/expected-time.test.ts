import { describe, expect, it } from 'vitest';
import { expectedCloneMs, presumedThroughput, topUpMs } from '../../electron/helper/discovery/expected-time';

describe('the expected clone time', () => {
  it('presumes an unmeasured server slower the farther it is, up to a good office link', () => {
    expect(presumedThroughput(25)).toBe(10_000_000);
    expect(presumedThroughput(250)).toBe(1_000_000);
    expect(presumedThroughput(2)).toBe(12_500_000);
    expect(presumedThroughput(undefined)).toBe(12_500_000);
  });

  it('is connect + 3 round trips + size ÷ throughput, plus 4 primary round trips when the source lags', () => {
    const facts = { rttMs: 20, connectMs: 25, bytesPerSecond: 5_000_000, behind: false };
    expect(expectedCloneMs(facts, { sizeBytes: 50_000_000, primaryRttMs: 300 })).toBe(25 + 60 + 10_000);
    expect(expectedCloneMs({ ...facts, behind: true }, { sizeBytes: 50_000_000, primaryRttMs: 300 })).toBe(25 + 60 + 10_000 + 1_200);
    expect(topUpMs(undefined)).toBe(1_000);
    // Unknown throughput: the presumption for its round trip (20 ms: 12.5 MB/s).
    expect(expectedCloneMs({ ...facts, bytesPerSecond: undefined }, { sizeBytes: 50_000_000 })).toBe(25 + 60 + 4_000);
  });
});
