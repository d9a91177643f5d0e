import { describe, expect, it } from 'vitest';
import type { Candidate, DiscoveryResult } from '../../shared/contract';
import { candidateRow, discoveryResultOf } from '../support/discovery-result';
import { renderDiscoveryTable } from '../../electron/cli/render/discovery-table';
import { latencyScaleMs, latencyText } from '../../shared/latency';

function candidate(name: string, extra: Partial<Candidate>): Candidate {
  return candidateRow(name, { baseUrl: `https://${name}.example.com`, ...extra });
}

const result = (candidates: Candidate[]): DiscoveryResult =>
  discoveryResultOf(candidates, {
    repository: { id: 1, projectKey: 'PROJ', slug: 'repo', name: 'repo', primaryBaseUrl: 'https://Primary.example.com', cloneUrls: {}, sizeBytes: null },
    chosen: 'near',
    reason: 'near: 15 ms median vs primary, which could not beat it',
  });

describe('the round trip in words, as the app and `discover` both say it', () => {
  it('is the median when measured to the end, and a lower bound ("≥") when measuring stopped early', () => {
    expect(latencyText({ rttMs: 255.4, slowerThanMs: null })).toBe('255 ms');
    expect(latencyText({ rttMs: 4.25, slowerThanMs: null })).toBe('4.3 ms');
    expect(latencyText({ rttMs: null, slowerThanMs: 100 })).toBe('≥ 100 ms');
    expect(latencyText({ rttMs: null, slowerThanMs: null })).toBe('—');
  });

  it('scales every row to the slowest figure, rounded up to 1, 2 or 5 times a power of ten', () => {
    expect(latencyScaleMs([15, 255])).toBe(500);
    expect(latencyScaleMs([3, 138])).toBe(200);
    expect(latencyScaleMs([100])).toBe(100);
    expect(latencyScaleMs([])).toBe(1);
  });

  it('prints the stopped server as "≥ N ms" with why, and bars on one linear scale', () => {
    const table = renderDiscoveryTable(
      result([
        candidate('Primary', { slowerThanMs: 100, reason: 'Stopped measuring: could not beat near.' }),
        candidate('near', { rttMs: 15, spreadMs: 1, chosen: true, reason: 'Closest of the servers measured.' }),
        candidate('far', { rttMs: 60, spreadMs: 4, reason: 'Slower to answer than near.' }),
      ]),
    );
    expect(table).toMatch(/^ {2}Primary\s+primary\s+healthy\s+≥ 100 ms\s+█{20}$/m);
    expect(table).toMatch(/^▶ near\s+mirror\s+healthy\s+15 ms ±1\.0\s+█{3}░{17}$/m);
    expect(table).toMatch(/^ {2}far\s+mirror\s+healthy\s+60 ms ±4\.0\s+█{12}░{8}$/m);
    expect(table).toContain('≥: stopped measuring: could not beat the closest.');
    expect(table).not.toContain('>');
  });
});
