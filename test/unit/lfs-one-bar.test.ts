/** The clone's one bar across git's phases and the Git LFS download (lfs/one-bar.ts). */
import { describe, expect, it } from 'vitest';
import { OneBar, PROVISIONAL_GIT_SHARE } from '../../electron/helper/lfs/one-bar';
import type { CloneSource, GitProgressData } from '../../shared/contract';
import type { CloneReporter } from '../../electron/helper/clone/run-clone';

const git = (value: number, receivedBytes?: number): GitProgressData => ({ phase: value >= 1 ? 'done' : 'receiving', value, phaseValue: value, text: '', ...(receivedBytes === undefined ? {} : { receivedBytes }) });
const large = (value: number, expectedBytes: number): GitProgressData => ({ phase: 'large-files', value, phaseValue: value, text: '', receivedBytes: value * expectedBytes, expectedBytes });

describe('OneBar', () => {
  it('gives git a provisional part when LFS is expected, then the large files the rest from where git left it', () => {
    const bar = new OneBar();
    bar.expectLargeFiles(true);
    expect(bar.git(git(0.5, 500)).value).toBeCloseTo(0.5 * PROVISIONAL_GIT_SHARE);
    expect(bar.git(git(1, 1000)).value).toBeCloseTo(PROVISIONAL_GIT_SHARE);
    // 1,000 git bytes against 100,000 in LFS: git's exact share (1%) is behind the bar, which stays.
    expect(bar.largeFiles(large(0, 100_000)).value).toBeCloseTo(PROVISIONAL_GIT_SHARE);
    expect(bar.largeFiles(large(0.5, 100_000)).value).toBeCloseTo(PROVISIONAL_GIT_SHARE + (0.99 - PROVISIONAL_GIT_SHARE) / 2);
    expect(bar.largeFiles(large(1, 100_000)).value).toBeCloseTo(0.99);
  });

  it('jumps forward, never back, when the large files turn out small next to git', () => {
    const bar = new OneBar();
    bar.expectLargeFiles(true);
    bar.git(git(1, 90_000));
    expect(bar.largeFiles(large(0, 10_000)).value).toBeCloseTo(0.9);
  });

  it('holds what a head start showed before discovery said LFS is coming, until git passes it', () => {
    const bar = new OneBar();
    expect(bar.git(git(0.2)).value).toBeCloseTo(0.2);
    bar.expectLargeFiles(true);
    expect(bar.git(git(0.4)).value).toBeCloseTo(0.2);
    expect(bar.git(git(0.96)).value).toBeCloseTo(0.96 * PROVISIONAL_GIT_SHARE);
  });

  it('without LFS expected, git has the whole bar up to 99%: 100% is the end of the clone', () => {
    const bar = new OneBar();
    bar.expectLargeFiles(false);
    expect(bar.git(git(0.5)).value).toBeCloseTo(0.5);
    expect(bar.git({ ...git(0.6), etaSeconds: 12 }).etaSeconds).toBe(12);
    expect(bar.git(git(1)).value).toBeCloseTo(0.99);
  });

  it('says no time left while git runs ahead of large files whose size is not known yet', () => {
    const bar = new OneBar();
    bar.expectLargeFiles(true);
    expect(bar.git({ ...git(0.6), etaSeconds: 12, bytesPerSecond: 1000 })).not.toHaveProperty('etaSeconds');
    expect(bar.git({ ...git(0.6), etaSeconds: 12, bytesPerSecond: 1000 }).bytesPerSecond).toBe(1000);
    expect(bar.largeFiles({ ...large(0.5, 1000), etaSeconds: 30 }).etaSeconds).toBe(30);
  });

  it('around a reporter: git and LFS progress on the bar, and "cloning" again once, when the large files start', () => {
    const calls: string[] = [];
    const outer: CloneReporter = {
      phase: (state) => calls.push(`phase ${state}`),
      progress: (_source, progress) => calls.push(`${progress.phase} ${progress.value.toFixed(3)}`),
      attempt: () => {},
    };
    const bar = new OneBar();
    bar.expectLargeFiles(true);
    const reporter = bar.around(outer);
    const source = { id: 'near', name: 'near', kind: 'mirror', url: 'https://near.example/scm/p/r.git' } as CloneSource;
    reporter.progress(source, git(1, 100));
    reporter.phase('finishing');
    reporter.progress(source, large(0, 1000));
    reporter.progress(source, large(1, 1000));
    // git's "done" is not the clone's: it reads as its last phase until the large files start.
    expect(calls).toEqual(['checking-out 0.250', 'phase finishing', 'phase cloning', 'large-files 0.250', 'large-files 0.990']);
  });
});
