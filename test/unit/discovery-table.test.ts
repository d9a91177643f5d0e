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
    expect(table).toMatch(/^ {2}Primary\s+primary\s+healthy\s+≥ 100 ms\s+█{12}\s+—\s+—$/m);
    expect(table).toMatch(/^▶ near\s+mirror\s+healthy\s+15 ms ±1\.0\s+█{2}░{10}\s+—\s+—$/m);
    expect(table).toMatch(/^ {2}far\s+mirror\s+healthy\s+60 ms ±4\.0\s+█{7}░{5}\s+—\s+—$/m);
    expect(table).toContain('≥: stopped measuring: could not beat the closest.');
    expect(table).not.toContain('>');
  });
});

describe('the expected clone time and the throughput in `discover`', () => {
  const sized = (candidates: Candidate[], extra: Partial<DiscoveryResult> = {}): DiscoveryResult =>
    discoveryResultOf(candidates, {
      repository: { id: 7, projectKey: 'BIG', slug: 'assets', name: 'assets', primaryBaseUrl: 'https://primary.example.com', cloneUrls: {}, sizeBytes: 12_000_000 },
      chosen: 'fat',
      reason: 'fat: about 1 s at 30 MB/s here; thin is closer but delivers 1.0 MB/s (about 10 s)',
      ...extra,
    });

  it('prints each server’s expected time and throughput with where it comes from, "—" when not known, within 100 columns', () => {
    const table = renderDiscoveryTable(
      sized(
        [
          candidate('Primary', { rttMs: 100, spreadMs: 2, throughputBytesPerSec: 5_000_000, throughputFrom: 'transfers', expectedMs: 2_800, reason: 'A clone from it is expected to take longer than from fat.' }),
          candidate('thin', { rttMs: 4, spreadMs: 0.2, throughputBytesPerSec: 1_000_000, throughputFrom: 'probe', expectedMs: 12_400, reason: 'Closer, but a clone from it is expected to take longer than from fat.' }),
          candidate('fat', { rttMs: 50, spreadMs: 1, throughputBytesPerSec: 30_000_000, throughputFrom: 'probe', expectedMs: 600, chosen: true, reason: 'Quickest expected clone of the servers measured.' }),
          candidate('lagging', { rttMs: 20, spreadMs: 1, status: 'behind', behind: true, behindRefs: ['refs/heads/main'], reason: 'It is behind on 1 ref; the rest would come from the primary.' }),
        ],
        { throughputProbe: { bytes: 5_000_000, durationMs: 900, servers: 2 } },
      ),
    );
    expect(table).toContain('(repository id 7, 12 MB)');
    expect(table).toMatch(/^ {2}CANDIDATE\s+KIND\s+STATUS\s+LATENCY\s+EXPECTED\s+THROUGHPUT$/m);
    expect(table).toMatch(/^ {2}Primary\s+primary\s+healthy\s+100 ms ±2\.0\s+█{12}\s+about 3 s\s+5\.0 MB\/s \(earlier\)$/m);
    expect(table).toMatch(/^ {2}thin\s+mirror\s+healthy\s+4\.0 ms ±0\.2\s+█░{11}\s+about 10 s\s+1\.0 MB\/s \(now\)$/m);
    expect(table).toMatch(/^▶ fat\s+mirror\s+healthy\s+50 ms ±1\.0\s+█{6}░{6}\s+about 1 s\s+30 MB\/s \(now\)$/m);
    expect(table).toMatch(/^ {2}lagging\s+mirror\s+behind\s+20 ms ±1\.0\s+█{2}░{10}\s+—\s+—$/m);
    // The behind mirror is named in the notes, its reason does not say its name.
    expect(table).toContain('  lagging: It is behind on 1 ref; the rest would come from the primary.');
    expect(table).toContain('(now): throughput measured just now with a short transfer: 5.0 MB from 2 servers in 0.9 s.');
    expect(table).toContain('(earlier): throughput remembered from earlier transfers on this network.');
    for (const line of table.split('\n').slice(1)) {
      if (!line.startsWith('Chosen:')) expect([...line].length, line).toBeLessThanOrEqual(100);
    }
  });

  it('explains only the sources that appear, and none when no throughput is known', () => {
    const remembered = renderDiscoveryTable(sized([candidate('fat', { rttMs: 50, throughputBytesPerSec: 30_000_000, throughputFrom: 'transfers', expectedMs: 600, chosen: true })]));
    expect(remembered).toContain('(earlier):');
    expect(remembered).not.toContain('(now):');
    const none = renderDiscoveryTable(sized([candidate('fat', { rttMs: 50, chosen: true })]));
    expect(none).not.toMatch(/\((now|earlier)\)/);
  });
});
