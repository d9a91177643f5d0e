/**
 * One line of git's progress output, parsed. The shapes (from git's progress.c and the captures in
 * test/fixtures/git-output/):
 *
 *   remote: Enumerating objects: 76, done.
 *   remote: Counting objects:  45% (34/76)
 *   Receiving objects:  31% (24/76), 756.00 KiB | 1.39 MiB/s
 *   Receiving objects: 100% (76/76), 3.81 MiB | 1.45 MiB/s, done.
 *   Resolving deltas: 100% (118/118), completed with 1 local object.
 *
 * `remote: ` marks lines the server sent over the sideband; the server pads them with spaces (or
 * an ANSI clear-to-end-of-line on a terminal), which we strip. Sizes are git's humanised binary
 * units ("byte(s)", KiB, MiB, GiB, TiB), so a parsed byte count is accurate to about 0.5%.
 */

export interface ProgressLine {
  /** 'Receiving objects', 'Resolving deltas', ... */
  title: string;
  remote: boolean;
  /** Present when git printed `(done/total)`. */
  done?: number;
  total?: number;
  /** A bare count, as in `Enumerating objects: 76, done.` */
  count?: number;
  bytes?: number;
  bytesPerSecond?: number;
  /** The line ends this stage: `, done.` or `, completed with ...`. */
  finished: boolean;
}

const units: Record<string, number> = { byte: 1, bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*[A-Za-z]/g;
const head = /^(remote:\s*)?([A-Za-z][A-Za-z ]*?):\s+(?:(\d+)%\s+\((\d+)\/(\d+)\)|(\d+)(?=,|$))(.*)$/;
const throughput = /^,\s*([\d.]+)\s*(bytes?|[KMGT]iB)(?:\s*\|\s*([\d.]+)\s*(bytes?|[KMGT]iB)\/s)?/;

/** A line as git meant it to look: no padding, no terminal escapes. */
export function cleanLine(raw: string): string {
  return raw.replace(ansi, '').trim();
}

function size(value: string | undefined, unit: string | undefined): number | undefined {
  if (value === undefined || unit === undefined) return undefined;
  const number = Number.parseFloat(value);
  const factor = units[unit];
  return Number.isFinite(number) && factor !== undefined ? Math.round(number * factor) : undefined;
}

/** The progress in a line, or undefined for any other line ("Cloning into ...", "From ...", errors). */
export function parseProgressLine(raw: string): ProgressLine | undefined {
  const match = head.exec(cleanLine(raw));
  if (!match) return undefined;
  const [, remote, title, , done, total, count, rest = ''] = match;
  const line: ProgressLine = { title: title!, remote: remote !== undefined, finished: /,\s*(done\.?|completed with\b)/.test(rest) };
  if (done !== undefined && total !== undefined) {
    line.done = Number(done);
    line.total = Number(total);
  }
  if (count !== undefined) line.count = Number(count);
  const speed = throughput.exec(rest);
  if (speed) {
    line.bytes = size(speed[1], speed[2]);
    line.bytesPerSecond = size(speed[3], speed[4]);
  }
  return line;
}
