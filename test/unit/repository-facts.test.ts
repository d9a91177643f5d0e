import { describe, expect, it } from 'vitest';
import { describeRepositoryFacts, formatAge } from '../../renderer/src/repository-facts';
import { formatBytes } from '../../renderer/src/format';

const now = Date.parse('2026-06-01T12:00:00Z');
const day = 86_400_000;

describe('a repository\'s size and last change, in words', () => {
  it('says the size and how long ago it changed', () => {
    expect(describeRepositoryFacts({ sizeBytes: 3 * 1024 * 1024, lastChange: { at: new Date(now - 3 * day).toISOString() } }, now)).toBe(`${formatBytes(3 * 1024 * 1024)} · changed 3 days ago`);
    expect(describeRepositoryFacts({ sizeBytes: 400_000, lastChange: null }, now)).toBe(formatBytes(400_000));
  });

  it('never says 0 B: unknown, or empty when there are no commits', () => {
    expect(describeRepositoryFacts({ sizeBytes: null, lastChange: { at: new Date(now - 60_000).toISOString() } }, now)).toBe('size unknown · changed 1 min ago');
    expect(describeRepositoryFacts({ sizeBytes: 0, lastChange: { at: new Date(now - 60_000).toISOString() } }, now)).toBe('size unknown · changed 1 min ago');
    expect(describeRepositoryFacts({ sizeBytes: 0, lastChange: null }, now)).toBe('empty');
  });

  it('says long ago in months or years, short enough for a row', () => {
    expect(formatAge(now - 20 * day, now)).toBe('20 days ago');
    expect(formatAge(now - 100 * day, now)).toBe('3 months ago');
    expect(formatAge(now - 1069 * day, now)).toBe('2 years ago');
  });
});
