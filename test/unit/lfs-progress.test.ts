/**
 * Reading git-lfs's progress file (GIT_LFS_PROGRESS): lines captured from git-lfs 3.3 pulling
 * three 2 MiB files from the emulator, where the files' lines interleave and the check-out's
 * `clean` lines begin before the last download ends.
 */
import { describe, expect, it } from 'vitest';
import { LfsProgressTally, parseLfsProgressLine } from '../../electron/helper/lfs/progress-file';
import { LargeFilesProgress } from '../../electron/helper/lfs/large-files-progress';

const CAPTURED = `
download 1/3 3906/2097152 media/asset-01.bin
download 1/3 36674/2097152 media/asset-01.bin
download 1/3 65536/2097152 media/asset-01.bin
download 1/3 98304/2097152 media/asset-01.bin
download 1/3 131072/2097152 media/asset-01.bin
download 3/3 3906/2097152 media/asset-03.bin
download 2/3 3906/2097152 media/asset-02.bin
download 3/3 36674/2097152 media/asset-03.bin
download 2/3 36674/2097152 media/asset-02.bin
download 3/3 65346/2097152 media/asset-03.bin
download 2/3 65536/2097152 media/asset-02.bin
download 1/3 163840/2097152 media/asset-01.bin
download 3/3 2031616/2097152 media/asset-03.bin
download 2/3 1998848/2097152 media/asset-02.bin
download 2/3 2031616/2097152 media/asset-02.bin
clean 1/1 1024/2097152 media/asset-01.bin
clean 1/1 33792/2097152 media/asset-01.bin
clean 1/1 66560/2097152 media/asset-01.bin
clean 1/1 99328/2097152 media/asset-01.bin
download 3/3 2064384/2097152 media/asset-03.bin
clean 1/1 132096/2097152 media/asset-01.bin
download 3/3 2097152/2097152 media/asset-03.bin
download 2/3 2064384/2097152 media/asset-02.bin
clean 1/1 164864/2097152 media/asset-01.bin
clean 1/1 197632/2097152 media/asset-01.bin
download 2/3 2097152/2097152 media/asset-02.bin
clean 1/1 230400/2097152 media/asset-01.bin
clean 1/1 263168/2097152 media/asset-01.bin
clean 1/1 295936/2097152 media/asset-01.bin
`.trimStart();

const MiB2 = 2_097_152;

describe('git-lfs progress lines', () => {
  it('parses direction, file number and count, bytes of the file and its size, and the path', () => {
    expect(parseLfsProgressLine('download 2/3 65536/2097152 media/asset-02.bin')).toEqual({
      direction: 'download',
      fileNumber: 2,
      fileCount: 3,
      bytes: 65_536,
      fileBytes: MiB2,
      name: 'media/asset-02.bin',
    });
    expect(parseLfsProgressLine('download 1/1 5/10 media/with space.bin')?.name).toBe('media/with space.bin');
    expect(parseLfsProgressLine('Downloading LFS objects: 50%')).toBeUndefined();
    expect(parseLfsProgressLine('')).toBeUndefined();
  });

  it('adds interleaved files by their latest count, and notices the check-out', () => {
    const tally = new LfsProgressTally();
    expect(tally.addText(CAPTURED)).toBe('');
    // asset-01 was last seen at 163840 bytes; asset-02 and asset-03 are complete.
    expect(tally.tally).toEqual({ downloadedBytes: 163_840 + 2 * MiB2, filesDone: 2, fileCount: 3, checkingOut: true });
  });

  it('keeps a line cut in the middle for the next chunk', () => {
    const tally = new LfsProgressTally();
    const rest = tally.addText('download 1/2 100/200 a.bin\ndownload 2/2 5');
    expect(rest).toBe('download 2/2 5');
    tally.addText(`${rest}0/50 b.bin\n`);
    expect(tally.tally).toMatchObject({ downloadedBytes: 150, filesDone: 1, fileCount: 2 });
  });

  it('counts a file that starts over from its new count', () => {
    const tally = new LfsProgressTally();
    tally.addText('download 1/1 900/1000 a.bin\ndownload 1/1 100/1000 a.bin\n');
    expect(tally.tally.downloadedBytes).toBe(100);
  });
});

describe('the large-files phase as progress data', () => {
  it('reports the bytes present of all large files, and the files done, as the phase value', () => {
    let now = 0;
    const phase = new LargeFilesProgress({ files: 4, totalBytes: 4 * MiB2, alreadyBytes: MiB2 }, () => now);
    const tally = new LfsProgressTally();
    tally.addText(CAPTURED);
    now = 1_000;
    const progress = phase.progressOf(tally.tally, 'near');
    expect(progress).toMatchObject({ phase: 'large-files', receivedBytes: MiB2 + 163_840 + 2 * MiB2, expectedBytes: 4 * MiB2 });
    expect(progress.value).toBeCloseTo((3 * MiB2 + 163_840) / (4 * MiB2), 6);
    expect(progress.phaseValue).toBe(progress.value);
    expect(progress.text).toContain('2 of 3 file(s) from near');
  });
});
