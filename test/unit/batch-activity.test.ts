import { describe, expect, it } from 'vitest';
import type { BatchItem, CloneJob } from '../../shared/contract';
import { batchNotice, noticeIsForBatch, summarizeWork } from '../../renderer/src/desktop/batch-activity';
import { batchFraction, currentJob } from '../../renderer/src/state/batch-progress';
import { batchItem, cloneBatch } from '../support/clone-batch';

const progress = (value: number) => ({ phase: 'receiving' as const, value, phaseValue: value, text: '' });
function job(jobId: string, overrides: Partial<CloneJob> = {}): CloneJob {
  return { jobId, repository: `https://bb.example.com/scm/core/${jobId}.git`, state: 'cloning', attempts: [], startedAt: '2026-12-05T08:00:00Z', ...overrides };
}
const item = (repository: string, state: BatchItem['state'], jobId?: string) => batchItem(repository, state, jobId ? { jobId } : {});
const batch = cloneBatch;

describe('a batch as one progress', () => {
  it('counts ended repositories whole and running ones by their own progress', () => {
    const jobs = { a: job('a', { state: 'done' }), b: job('b', { progress: progress(0.5) }) };
    const running = batch([item('CORE/a', 'done', 'a'), item('CORE/b', 'cloning', 'b'), item('CORE/c', 'waiting'), item('CORE/d', 'failed')]);
    expect(batchFraction(running, jobs)).toBe(0.625);
    expect(batchFraction({ ...running, finishedAt: '2026-12-05T08:01:00Z' }, jobs)).toBe(1);
  });

  it('follows a repository to the retry that took its card', () => {
    const jobs = { b2: job('b2', { retryOf: 'b', progress: progress(0.25) }) };
    expect(currentJob('b', jobs)?.jobId).toBe('b2');
    expect(batchFraction(batch([item('CORE/b', 'cloning', 'b')]), jobs)).toBe(0.25);
  });

  it('gives the taskbar one figure over a batch and the single clones, each repository one share', () => {
    const jobs = { a: job('a', { progress: progress(1) }), b: job('b', { progress: progress(0) }), solo: job('solo', { progress: progress(0.5) }) };
    const group = batch([item('CORE/a', 'cloning', 'a'), item('CORE/b', 'cloning', 'b'), item('CORE/c', 'done')]);
    // (1 + 0 + 1) of the batch's three, and half of the single clone: 2.5 of 4.
    expect(summarizeWork(jobs, [group])).toEqual({ fraction: 0.62, mode: 'normal', running: 3 });
    expect(summarizeWork({}, [{ ...group, finishedAt: 'x', state: 'done' }])).toEqual({ fraction: undefined, mode: 'normal', running: 0 });
    expect(summarizeWork({}, [batch([item('CORE/a', 'failed'), item('CORE/b', 'waiting')])]).mode).toBe('error');
  });
});

describe('the notice when a batch ends', () => {
  it('says how many were cloned, and names the failures', () => {
    expect(batchNotice(batch([item('CORE/a', 'done'), item('CORE/b', 'done')], { state: 'done' }))).toEqual({ title: 'Cloned 2 repositories', body: 'Into /src.' });
    expect(batchNotice(batch([item('CORE/a', 'done'), item('CORE/b', 'failed'), item('LIBS/c', 'failed')], { state: 'done' }))).toEqual({
      title: '1 of 3 repositories cloned',
      body: '2 failed: CORE/b, LIBS/c.',
    });
    expect(batchNotice(batch([item('CORE/a', 'cancelled')], { state: 'cancelled' }))).toBeUndefined();
  });

  it("stands in for the notices of the batch's own clones", () => {
    const jobs = { a: job('a', { state: 'done' }), solo: job('solo', { state: 'done' }) };
    const group = batch([item('CORE/a', 'done', 'a')]);
    expect(noticeIsForBatch(jobs.a, [group], jobs)).toBe(true);
    expect(noticeIsForBatch(jobs.solo, [group], jobs)).toBe(false);
  });
});
