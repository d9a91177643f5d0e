// One wording of sizes, rates and times for the app and the command line (shared/format.ts), and
// the terminal's progress line and closing summary built from it.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatExpectedTime, formatRemaining, formatTransferred, formatTransferSummary, transferFigures } from '../../shared/format';
import { renderCloneSummary, renderProgressLine } from '../../electron/cli/render/progress-bar';
import type { CloneJob, CloneSource } from '../../shared/contract';

describe('formatBytes (decimal: 1 MB = 1,000,000 bytes)', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1_000, '1.0 KB'],
    [2_500_000, '2.5 MB'],
    [9_960_000, '10 MB'],
    [16_384_000, '16 MB'],
    [999_600_000, '1.0 GB'],
    [50 * 1024 * 1024, '52 MB'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('sizes of a transfer', () => {
  it('says "of" the expected size while it is ahead, and only what came once passed', () => {
    expect(formatTransferred(16_000_000, 50_000_000)).toBe('16 MB of 50 MB');
    expect(formatTransferred(60_000_000, 50_000_000)).toBe('60 MB');
    expect(formatTransferred(16_000_000, null)).toBe('16 MB');
    expect(formatTransferred(16_000_000, 0)).toBe('16 MB');
  });

  it('while receiving: bytes, rate and the time left, or "estimating…"', () => {
    expect(transferFigures({ phase: 'receiving', receivedBytes: 16_000_000, expectedBytes: 50_000_000, bytesPerSecond: 2_000_000 })).toEqual({ bytes: '16 MB of 50 MB', rate: '2.0 MB/s', remaining: 'estimating…' });
    expect(transferFigures({ phase: 'receiving', receivedBytes: 16_000_000, expectedBytes: 50_000_000, bytesPerSecond: 2_000_000, etaSeconds: 17 }).remaining).toBe('about 17 s left');
    // After the download no time left is claimed, in particular no "0 s left".
    expect(transferFigures({ phase: 'resolving', receivedBytes: 50_000_000, etaSeconds: 0 })).toEqual({ bytes: '50 MB' });
  });

  it('times', () => {
    expect(formatDuration(0.84)).toBe('0.8 s');
    expect(formatDuration(23.4)).toBe('23 s');
    expect(formatDuration(245)).toBe('4 min 05 s');
    expect(formatDuration(3_720)).toBe('1 h 02 min');
    expect(formatRemaining(0.3)).toBe('under a second left');
    expect(formatRemaining(125)).toBe('about 2 min 05 s left');
    expect(formatTransferSummary(50_000_000, 25_000)).toBe('50 MB in 25 s (2.0 MB/s)');
    expect(formatTransferSummary(undefined, 25_000)).toBe('in 25 s');
  });
});

describe('the terminal', () => {
  const source: CloneSource = { id: 'm1', name: 'near', kind: 'mirror', url: 'http://near/scm/p/r.git' };

  it('shows the same figures as the app on its progress line', () => {
    const line = renderProgressLine({ phase: 'receiving', value: 0.3, phaseValue: 0.3, text: '', receivedBytes: 16_000_000, expectedBytes: 50_000_000, bytesPerSecond: 2_000_000 }, source);
    expect(line).toMatch(/^Receiving +█+░+ +30% {2}16 MB of 50 MB {2}2\.0 MB\/s {2}estimating… {2}from near$/);
    expect(renderProgressLine({ phase: 'receiving', value: 0.3, phaseValue: 0.3, text: '', receivedBytes: 16_000_000, bytesPerSecond: 2_000_000, etaSeconds: 17 }, source)).toContain('16 MB  2.0 MB/s  about 17 s left  from near');
  });

  it('ends a clone on a summary: size, time, average rate, source', () => {
    const job: CloneJob = {
      jobId: 'j',
      repository: 'PROJ/repo',
      state: 'done',
      attempts: [{ source, attempt: 1, ok: true, durationMs: 25_000 }],
      startedAt: '',
      progress: { phase: 'done', value: 1, phaseValue: 1, text: '', receivedBytes: 50_000_000 },
      result: { path: '/src/repo', source, fetchUrl: '', pushUrl: '', engine: 'native', durationMs: 26_400, toppedUpFromPrimary: [], reason: '' },
    };
    expect(renderCloneSummary(job)).toBe('Cloned into /src/repo from near (mirror): 50 MB in 25 s (2.0 MB/s); 26 s in all.');
    // Large files came last: their bytes are not the transfer's, and no rate is made of them.
    const withLargeFiles: CloneJob = { ...job, progress: { phase: 'large-files', value: 0.99, phaseValue: 1, text: '', receivedBytes: 13_000_000, expectedBytes: 13_000_000 } };
    expect(renderProgressLine({ phase: 'large-files', value: 0.5, phaseValue: 0.5, text: '', receivedBytes: 6_500_000, expectedBytes: 13_000_000, bytesPerSecond: 2_000_000, etaSeconds: 4 }, source)).toMatch(/^Large files .* 50% {2}6\.5 MB of 13 MB {2}2\.0 MB\/s {2}about \d+ s left {2}from near$/);
    expect(renderCloneSummary(withLargeFiles)).toBe('Cloned into /src/repo from near (mirror): in 25 s; 26 s in all.');
  });
});

describe('formatExpectedTime', () => {
  it('rounds a prediction as a forecast: whole seconds under ten, 5 s steps under a minute, whole minutes, then hours', () => {
    expect(formatExpectedTime(300)).toBe('about 1 s');
    expect(formatExpectedTime(800)).toBe('about 1 s');
    expect(formatExpectedTime(3_600)).toBe('about 4 s');
    expect(formatExpectedTime(9_700)).toBe('about 10 s');
    expect(formatExpectedTime(22_000)).toBe('about 20 s');
    expect(formatExpectedTime(58_000)).toBe('about 1 min');
    expect(formatExpectedTime(95_000)).toBe('about 2 min');
    expect(formatExpectedTime(59 * 60_000)).toBe('about 59 min');
    expect(formatExpectedTime(80 * 60_000)).toBe('about 1 h 20 min');
    expect(formatExpectedTime(120 * 60_000)).toBe('about 2 h');
  });
});
