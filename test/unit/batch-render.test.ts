import { describe, expect, it } from 'vitest';
import type { BatchItem, CloneBatch } from '../../shared/contract';
import { batchItem, cloneBatch } from '../support/clone-batch';
import { batchJson, renderBatchItemLines, renderBatchLine, renderBatchSummary } from '../../electron/cli/render/batch-progress';

const item = (patch: Partial<BatchItem>): BatchItem => batchItem(patch.repository ?? 'PLAT/api', patch.state, patch);

/** A batch part-way: its bytes, rate and time left as the helper last measured them. */
function batchOf(items: BatchItem[], patch: Parameters<typeof cloneBatch>[1] = {}): CloneBatch {
  return cloneBatch(items, {
    concurrency: 3,
    concurrencyReason: '3 at once: 1.0 MB/s per transfer',
    ...patch,
    totals: { receivedBytes: 52_400_000, bytesPerSecond: 2_100_000, etaSeconds: 75, ...patch.totals },
  });
}

const failure = { code: 'NOT_FOUND' as const, message: 'Repository PLAT/gone does not exist.', hint: 'Check the name.', terminalHint: 'Check the name, or pass --primary URL.' };
const items = [
  item({ state: 'done', source: { name: 'near', kind: 'mirror' }, receivedBytes: 12_300_000, durationMs: 4_200, jobId: 'j1' }),
  item({ repository: 'PLAT/web', path: '/src/web', state: 'done', alreadyThere: true }),
  item({ repository: 'PLAT/gone', path: '/src/gone', state: 'failed', error: failure }),
  item({ repository: 'PLAT/core', path: '/src/core', state: 'cloning', receivedBytes: 1_000 }),
];

describe('a batch on a terminal', () => {
  it('one overall line: done of all, bytes, rate, time left, how many run', () => {
    expect(renderBatchLine(batchOf(items))).toBe('2 of 4 done  ·  52 MB  ·  2.1 MB/s  ·  about 1 min 15 s left  ·  1 running (3 at once)  ·  1 failed');
    expect(renderBatchLine(batchOf([item({})], { concurrency: null, totals: { receivedBytes: 0, bytesPerSecond: null, etaSeconds: null } }))).toBe('0 of 1 done  ·  0 B  ·  estimating…  ·  measuring the link…');
  });

  it('a line per repository as it ends, each said once', () => {
    const printed = new Set<string>();
    expect(renderBatchItemLines(batchOf(items), printed)).toEqual([
      '✓ PLAT/api → /src/api from near (mirror): 12 MB in 4.2 s',
      '= PLAT/web: already at /src/web, left alone',
      '✗ PLAT/gone: Repository PLAT/gone does not exist.',
    ]);
    expect(renderBatchItemLines(batchOf(items), printed)).toEqual([]);
  });

  it('a summary naming each failure with its terminal hint', () => {
    const { summary, failures } = renderBatchSummary(batchOf(items.slice(0, 3), { concurrency: 2, concurrencyReason: '2 at once, as asked' }), 61_000);
    expect(summary).toBe('3 repositories: 1 cloned, 1 already there, 1 failed in 1 min 01 s (52 MB; 2 at once, as asked).');
    expect(failures).toEqual(['  PLAT/gone (/src/gone): Repository PLAT/gone does not exist.', '    Check the name, or pass --primary URL.']);
  });

  it('--json: one object, each repository with ok, alreadyThere, source and error, plus totals', () => {
    const output = batchJson(batchOf(items.slice(0, 3)), 61_000);
    expect(output.repositories).toEqual([
      { repository: 'PLAT/api', path: '/src/api', ok: true, alreadyThere: false, source: { name: 'near', kind: 'mirror' }, receivedBytes: 12_300_000, durationMs: 4_200 },
      { repository: 'PLAT/web', path: '/src/web', ok: true, alreadyThere: true, source: null },
      { repository: 'PLAT/gone', path: '/src/gone', ok: false, alreadyThere: false, source: null, error: { code: 'NOT_FOUND', message: 'Repository PLAT/gone does not exist.', hint: 'Check the name, or pass --primary URL.' } },
    ]);
    expect(output.totals).toEqual({ repositories: 3, cloned: 1, alreadyThere: 1, failed: 1, cancelled: 0, receivedBytes: 52_400_000, durationMs: 61_000 });
  });
});
