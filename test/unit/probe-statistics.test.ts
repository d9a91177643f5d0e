import { describe, expect, it } from 'vitest';
import { interquartileRange, median, quantileOfSorted, roundMs, summarizeSamples } from '../../electron/helper/probe/statistics';

describe('probe statistics', () => {
  it('median of odd and even counts, whatever the order', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    median(samples);
    interquartileRange(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('quantiles interpolate linearly between sorted values', () => {
    const sorted = [10, 20, 30, 40, 50];
    expect(quantileOfSorted(sorted, 0)).toBe(10);
    expect(quantileOfSorted(sorted, 0.25)).toBe(20);
    expect(quantileOfSorted(sorted, 0.5)).toBe(30);
    expect(quantileOfSorted(sorted, 1)).toBe(50);
    expect(quantileOfSorted([10, 20], 0.25)).toBe(12.5);
  });

  it('the interquartile range ignores one outlier that max - min would not', () => {
    // Five samples of a steady 100 ms link, one of which caught a 400 ms hiccup.
    expect(interquartileRange([100, 101, 102, 103, 500])).toBe(2);
    expect(interquartileRange([100])).toBe(0);
  });

  it('summarizes samples, and nothing when there are none', () => {
    expect(summarizeSamples([104.123, 101.5, 99.98, 250, 102])).toEqual({ medianMs: 102, spreadMs: 2.62, minMs: 99.98 });
    expect(summarizeSamples([])).toBeUndefined();
  });

  it('rounds to hundredths of a millisecond', () => {
    expect(roundMs(1.23456)).toBe(1.23);
    expect(roundMs(99.999)).toBe(100);
  });
});
