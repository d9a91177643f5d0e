import { describe, expect, it } from 'vitest';
import { orderSources } from '../../electron/helper/transfer/sources';
import { httpAuthConfig } from '../../electron/helper/transfer/auth-env';
import type { Candidate } from '../../shared/contract';
import { candidateRow, discoveryResultOf } from '../support/discovery-result';

function candidate(id: string, name: string, extra: Partial<Candidate>): Candidate {
  return candidateRow(id, { name, cloneUrls: { http: `https://${id}.example/scm/p/r.git`, ssh: `ssh://git@${id}.example:7999/p/r.git` }, ...extra });
}

const discovery = (candidates: Candidate[]) => discoveryResultOf(candidates, { reason: 'near: 5 ms median vs primary 250 ms' });

const world = discovery([
  candidate('primary', 'Primary', { rttMs: 250 }),
  candidate('far', 'Far', { rttMs: 120 }),
  candidate('near', 'Near', { rttMs: 5, chosen: true }),
  candidate('mid', 'Mid', { rttMs: 40 }),
  candidate('behind', 'Behind', { rttMs: 1, status: 'behind' }),
  candidate('httponly', 'HttpOnly', { rttMs: 60, cloneUrls: { http: 'https://httponly.example/scm/p/r.git' } }),
]);

describe('orderSources', () => {
  it('tries the chosen one, then the other usable mirrors (one behind too: the top-up brings the rest) by latency, then the primary', () => {
    const { sources, reason } = orderSources(world, { protocol: 'http', choice: 'auto' });
    expect(sources.map((source) => source.id)).toEqual(['near', 'behind', 'mid', 'httponly', 'far', 'primary']);
    expect(reason).toBe(world.reason);
  });

  it('orders the other mirrors by expected clone time where it is known', () => {
    const timed = discovery([
      candidate('primary', 'Primary', { rttMs: 250 }),
      candidate('near', 'Near', { rttMs: 5, expectedMs: 90_000 }),
      candidate('fat', 'Fat', { rttMs: 40, expectedMs: 8_000, chosen: true }),
      candidate('mid', 'Mid', { rttMs: 20, expectedMs: 30_000 }),
      candidate('stuck', 'Stuck', { rttMs: 1, status: 'out-of-sync' }),
    ]);
    expect(orderSources(timed, { protocol: 'http', choice: 'auto' }).sources.map((source) => source.id)).toEqual(['fat', 'mid', 'near', 'primary']);
  });

  it('skips servers without a URL for the protocol', () => {
    expect(orderSources(world, { protocol: 'ssh', choice: 'auto' }).sources.map((source) => source.id)).toEqual(['near', 'behind', 'mid', 'far', 'primary']);
  });

  it('puts a source named by the user first, by name or id, and says so', () => {
    const ordered = orderSources(world, { protocol: 'http', choice: 'far' });
    expect(ordered.sources[0]!.id).toBe('far');
    expect(ordered.reason).toBe('Far: chosen by you');
    expect(orderSources(world, { protocol: 'http', choice: 'primary' }).sources.map((source) => source.id)).toEqual(['primary', 'behind', 'near', 'mid', 'httponly', 'far']);
  });

  it('refuses a named source that does not exist or cannot serve', () => {
    expect(() => orderSources(world, { protocol: 'http', choice: 'mars' })).toThrow(/No server called "mars"/);
    const down = discovery([candidate('primary', 'Primary', {}), candidate('down', 'Down', { status: 'unreachable', reason: 'Down could not be reached.' })]);
    expect(() => orderSources(down, { protocol: 'http', choice: 'down' })).toThrow(/cannot serve/);
  });

  it('lets the user pick a mirror that is behind, and says the rest comes from the primary', () => {
    const ordered = orderSources(world, { protocol: 'http', choice: 'behind' });
    expect(ordered.sources[0]!.id).toBe('behind');
    expect(ordered.reason).toContain('the rest comes from the primary');
  });
});

describe('httpAuthConfig', () => {
  it('scopes the header to the vouched origins and turns redirects off', () => {
    const entries = httpAuthConfig({ kind: 'token', token: 'T0K' }, ['https://primary.example/scm/p/r.git', 'https://near.example:8443/scm/p/r.git', 'https://near.example:8443/other', 'ssh://git@x/p/r.git']);
    expect(entries).toEqual([
      ['http.followRedirects', 'false'],
      ['http.https://primary.example/.extraHeader', 'Authorization: Bearer T0K'],
      ['http.https://near.example:8443/.extraHeader', 'Authorization: Bearer T0K'],
    ]);
  });

  it('sends nothing without credentials', () => {
    expect(httpAuthConfig(undefined, ['https://primary.example/'])).toEqual([['http.followRedirects', 'false']]);
  });
});
