import { describe, expect, it } from 'vitest';
import { candidateRow } from '../support/discovery-result';
import { expectedTimeText, isSelectable, statusNote, throughputSource, throughputText } from '../../renderer/src/candidate-figures';

describe('the figures of a candidate row in the app', () => {
  it('says the expected clone time and the throughput the helper sent, and "—" for what it does not know', () => {
    const known = candidateRow('mid', { expectedMs: 5_200, throughputBytesPerSec: 40_000_000, throughputFrom: 'probe' });
    expect(expectedTimeText(known)).toBe('about 5 s');
    expect(throughputText(known)).toBe('40 MB/s');
    const unknown = candidateRow('far');
    expect(expectedTimeText(unknown)).toBe('—');
    expect(throughputText(unknown)).toBe('—');
    // The size not known: a throughput, but no expected time.
    expect(expectedTimeText(candidateRow('near', { throughputBytesPerSec: 1_000_000, throughputFrom: 'transfers' }))).toBe('—');
  });

  it('says where a throughput comes from, and nothing when there is none', () => {
    expect(throughputSource(candidateRow('a', { throughputBytesPerSec: 1e6, throughputFrom: 'probe' }))?.short).toBe('measured just now');
    expect(throughputSource(candidateRow('a', { throughputBytesPerSec: 1e6, throughputFrom: 'transfers' }))?.long).toMatch(/earlier transfers .* on this network/);
    expect(throughputSource(candidateRow('a', { throughputFrom: 'probe' }))).toBeUndefined();
  });

  it('offers a behind mirror (the top-up brings the rest) and passes over an out-of-sync one', () => {
    expect(isSelectable(candidateRow('lagging', { status: 'behind', behind: true }))).toBe(true);
    expect(statusNote('behind')).toBe('top-up from primary');
    expect(isSelectable(candidateRow('stuck', { status: 'out-of-sync', behind: true }))).toBe(false);
    expect(statusNote('out-of-sync')).toBe('passed over');
    expect(isSelectable(candidateRow('near'))).toBe(true);
    expect(statusNote('healthy')).toBeUndefined();
    expect(isSelectable(candidateRow('gone', { status: 'unreachable' }))).toBe(false);
    expect(isSelectable(candidateRow('elsewhere', { status: 'not-mirrored', available: false }))).toBe(false);
  });
});
