/**
 * The choice when the user named the source for a clone: nothing was measured to rank the
 * candidates, so offered ones are presumed usable, the named one is chosen, and a clone's source
 * order (transfer/sources.ts) still rests on what is known.
 */
import { describe, expect, it } from 'vitest';
import { choose, type CandidateMeasurement, type Freshness } from '../../electron/helper/discovery/choose';
import type { FoundCandidate } from '../../electron/helper/discovery/find-candidates';
import { foundCandidate, measuredAt } from '../support/found-candidate';
import { namedCandidate, stillStands } from '../../electron/helper/discovery/named-source';
import { orderSources } from '../../electron/helper/transfer/sources';
import { discoveryResultOf } from '../support/discovery-result';

const candidate = (id: string, name: string, extra: Partial<FoundCandidate> = {}) => foundCandidate(id, name, { status: id === 'primary' ? 'unknown' : 'healthy', ...extra });

const found = [candidate('primary', 'Primary'), candidate('syd', 'Sydney'), candidate('fra', 'Frankfurt'), candidate('off', 'Old mirror', { offered: false, status: 'disabled', reason: 'Old mirror is disabled by the Bitbucket administrators.' })];
const measured = measuredAt;

describe('choosing a named source', () => {
  it('chooses the named mirror with nothing measured, and presumes the other offered servers usable', () => {
    const result = choose(found, new Map(), new Map([['fra', { behind: false, refs: [] }]]), { named: 'fra' });
    expect(result).toMatchObject({ chosen: 'fra', by: 'pin', reason: 'Frankfurt: chosen by you, round trips not measured' });
    expect(result.candidates.find((row) => row.id === 'fra')).toMatchObject({ status: 'healthy', chosen: true, reason: 'Chosen by you.', rttMs: null });
    expect(result.candidates.find((row) => row.id === 'syd')).toMatchObject({ status: 'healthy', chosen: false, reason: 'Not measured.' });
    expect(result.candidates.find((row) => row.id === 'off')).toMatchObject({ status: 'disabled', chosen: false });
  });

  it('says when the named mirror lags, and passes over one whose sync looks broken', () => {
    const behind = new Map<string, Freshness>([['syd', { behind: true, refs: ['refs/heads/main'] }]]);
    const lagging = choose(found, new Map(), behind, { named: 'syd' });
    expect(lagging.chosen).toBe('syd');
    expect(lagging.reason).toBe('Sydney: chosen by you, round trips not measured; behind on 1 ref, the rest comes from the primary');
    const broken = choose(found, new Map(), behind, { named: 'syd' }, { behindForMs: new Map([['syd', 30 * 60_000]]) });
    expect(broken.candidates.find((row) => row.id === 'syd')).toMatchObject({ status: 'out-of-sync', chosen: false });
    expect(broken.chosen).not.toBe('syd');
  });

  it('keeps a remembered failure of another server, which a clone then does not fall back to', () => {
    const cached = new Map<string, CandidateMeasurement>([['syd', { outcome: 'unreachable', samplesMs: [], detail: 'connection refused' }], ['fra', measured(140)]]);
    const result = choose(found, cached, new Map([['fra', { behind: false, refs: [] }]]), { named: 'fra' });
    const sources = orderSources(discoveryResultOf(result.candidates, { reason: result.reason }), { protocol: 'http', choice: 'Frankfurt' });
    expect(sources.sources.map((source) => source.id)).toEqual(['fra', 'primary']);
  });

  it('orders the fallbacks after the named one by remembered round trips, the primary last', () => {
    const result = choose(found, new Map([['fra', measured(140)], ['syd', measured(12)], ['primary', measured(281)]]), new Map(), { named: 'fra' });
    const sources = orderSources(discoveryResultOf(result.candidates, { reason: result.reason }), { protocol: 'http', choice: 'fra' });
    expect(sources.sources.map((source) => source.id)).toEqual(['fra', 'syd', 'primary']);
    expect(sources.reason).toBe('Frankfurt: chosen by you');
  });

  it('finds the named candidate by id, by name in any case, or as the primary', () => {
    expect(namedCandidate(found, 'FRA')?.id).toBe('fra');
    expect(namedCandidate(found, 'sydney')?.id).toBe('syd');
    expect(namedCandidate(found, 'primary')?.kind).toBe('primary');
    expect(namedCandidate(found, 'nowhere')).toBeUndefined();
  });

  it('drops a remembered failure of the named mirror once its refs were listed just now', () => {
    expect(stillStands({ outcome: 'unreachable', samplesMs: [] }, true)).toBe(false);
    expect(stillStands({ outcome: 'unreachable', samplesMs: [] }, false)).toBe(true);
    expect(stillStands(measured(30), true)).toBe(true);
    expect(stillStands(undefined, true)).toBe(false);
  });
});
