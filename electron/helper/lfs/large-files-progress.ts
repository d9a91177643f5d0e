/**
 * The LFS phase as progress data for the clone's one bar: bytes of the large files present of
 * all of them, rate, time left and files done, from the lines git-lfs writes to its progress
 * file (progress-file.ts), across the runs against one source and the next.
 */
import { rm } from 'node:fs/promises';
import type { GitProgressData } from '../../../shared/contract';
import { formatBytes } from '../../../shared/format';
import { EtaEstimator } from '../git/progress-eta';
import { LfsProgressTally, type LfsTally } from './progress-file';
import { watchProgressFile } from './progress-watch';

export interface LargeFilesTotals {
  files: number;
  totalBytes: number;
  /** Bytes of the files already present before the first run. */
  alreadyBytes: number;
}

export class LargeFilesProgress {
  private present: number;
  private readonly eta = new EtaEstimator();

  constructor(
    private readonly totals: LargeFilesTotals,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.present = totals.alreadyBytes;
  }

  /** Progress of one git-lfs run: its lines added to what was already present. */
  progressOf(tally: LfsTally, sourceName: string): GitProgressData {
    const { totalBytes, files } = this.totals;
    const received = Math.min(totalBytes, this.present + tally.downloadedBytes);
    const at = this.now();
    this.eta.addBytes(received, at);
    const fraction = totalBytes > 0 ? received / totalBytes : 1;
    const rate = this.eta.bytesPerSecond;
    const etaSeconds = this.eta.secondsLeft(totalBytes - received, at, at);
    const doing = tally.checkingOut && tally.filesDone >= tally.fileCount ? 'Checking out large files' : 'Downloading large files';
    return {
      phase: 'large-files',
      value: fraction,
      phaseValue: fraction,
      text: `${doing}: ${formatBytes(received)} of ${formatBytes(totalBytes)}, ${tally.filesDone} of ${tally.fileCount || files} file(s) from ${sourceName}`,
      receivedBytes: received,
      expectedBytes: totalBytes,
      ...(rate !== undefined ? { bytesPerSecond: rate } : {}),
      ...(etaSeconds !== undefined ? { etaSeconds } : {}),
    };
  }

  /** Follows one run's progress file, reporting each change; stop() says how many bytes the run moved. */
  follow(file: string, emit: (progress: GitProgressData) => void, sourceName: string): { stop(): Promise<number> } {
    const tally = new LfsProgressTally();
    let rest = '';
    // The file is per run: git-lfs appends, so a stale one from the previous run must not count.
    const watch = watchProgressFile(file, (text) => {
      rest = tally.addText(rest + text);
      emit(this.progressOf(tally.tally, sourceName));
    });
    return {
      stop: async () => {
        await watch.stop();
        await rm(file, { force: true });
        return tally.tally.downloadedBytes;
      },
    };
  }

  /** After a run: the bytes now present, counted from what git-lfs reports as downloaded. */
  settle(presentBytes: number): void {
    this.present = presentBytes;
  }
}
