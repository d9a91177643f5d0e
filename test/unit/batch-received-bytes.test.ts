import { describe, expect, it } from 'vitest';
import { ReceivedBytes } from '../../electron/helper/clone/batch/run-batch';
import type { CloneJob, GitProgressData } from '../../shared/contract';

const job = (jobId: string, progress: Partial<GitProgressData> | undefined) => ({ jobId, progress: progress && { phase: 'receiving', value: 0.5, text: '', ...progress } }) as CloneJob;

describe("a batch's bytes of one clone", () => {
  it("adds the large files' bytes to what git received, never counting only the large files", () => {
    const received = new ReceivedBytes();
    expect(received.of(job('a', undefined))).toBeUndefined();
    expect(received.of(job('a', { receivedBytes: 4_000 }))).toBe(4_000);
    expect(received.of(job('a', { receivedBytes: 9_000, phase: 'resolving' }))).toBe(9_000);
    expect(received.of(job('a', { receivedBytes: 1_500, phase: 'large-files' }))).toBe(10_500);
    expect(received.of(job('a', { receivedBytes: 30_000, phase: 'large-files' }))).toBe(39_000);
    // Each job keeps its own count.
    expect(received.of(job('b', { receivedBytes: 700, phase: 'large-files' }))).toBe(700);
  });
});
