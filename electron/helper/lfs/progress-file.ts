/**
 * git-lfs writes its progress, when GIT_LFS_PROGRESS names a file, one line per update:
 *   `download 2/3 65536/2097152 media/asset-02.bin`
 *   direction, the file's number / files in this run, bytes of THIS file so far / its size, its path.
 * Files are transferred several at a time, so the lines of different files interleave; the
 * bytes of the whole run are the sum of each file's latest count. `clean`/`smudge`/`checkout`
 * lines come from git-lfs hashing the files it has written (the check-out after the download).
 */

export interface LfsProgressLine {
  direction: 'download' | 'upload' | 'checkout' | 'clean' | 'smudge';
  fileNumber: number;
  fileCount: number;
  bytes: number;
  fileBytes: number;
  name: string;
}

const LINE = /^(download|upload|checkout|clean|smudge) (\d+)\/(\d+) (\d+)\/(\d+) (.+)$/;

export function parseLfsProgressLine(line: string): LfsProgressLine | undefined {
  const match = LINE.exec(line.trimEnd());
  if (!match) return undefined;
  return {
    direction: match[1] as LfsProgressLine['direction'],
    fileNumber: Number(match[2]),
    fileCount: Number(match[3]),
    bytes: Number(match[4]),
    fileBytes: Number(match[5]),
    name: match[6]!,
  };
}

export interface LfsTally {
  /** Bytes downloaded so far in this run, over every file. */
  downloadedBytes: number;
  /** Files whose download finished. */
  filesDone: number;
  /** Files git-lfs said it would download in this run (0 before its first line). */
  fileCount: number;
  /** Whether git-lfs has moved on to checking out what it downloaded. */
  checkingOut: boolean;
}

/** Adds up the lines of one git-lfs run into totals. */
export class LfsProgressTally {
  private readonly perFile = new Map<string, { bytes: number; size: number }>();
  private fileCount = 0;
  private checkingOut = false;

  add(line: LfsProgressLine): void {
    if (line.direction !== 'download') {
      if (line.direction === 'checkout' || line.direction === 'clean' || line.direction === 'smudge') this.checkingOut = true;
      return;
    }
    this.fileCount = Math.max(this.fileCount, line.fileCount);
    // The latest line of a file is its count; a smaller one is a retry of that file from its start.
    this.perFile.set(line.name, { bytes: line.bytes, size: line.fileBytes });
  }

  /** Feeds every complete line of `text` (a chunk of the file) and returns what is left over. */
  addText(text: string): string {
    const lines = text.split('\n');
    const rest = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = parseLfsProgressLine(line);
      if (parsed) this.add(parsed);
    }
    return rest;
  }

  get tally(): LfsTally {
    let downloadedBytes = 0;
    let filesDone = 0;
    for (const { bytes, size } of this.perFile.values()) {
      downloadedBytes += bytes;
      if (bytes >= size) filesDone += 1;
    }
    return { downloadedBytes, filesDone, fileCount: this.fileCount, checkingOut: this.checkingOut };
  }
}
