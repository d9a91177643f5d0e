/**
 * Small stand-ins for the user's desktop programs (xdg-open, a terminal, an editor): each records
 * how it was started (working directory, arguments, one variable) into a log file and exits, so
 * a test can put them first on a helper's PATH and see what the helper launched.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ProgramRun {
  cwd: string;
  args: string[];
  /** MIRROR_CLONE_TOKEN as the program saw it ('' when unset). */
  token: string;
}

export async function writeRecordingPrograms(directory: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const log = path.join(directory, `${name}.log`);
    // One NUL-separated record per run: a path with spaces, quotes or newlines survives intact.
    const script = `#!/bin/sh\n{ printf 'cwd=%s\\0' "$(pwd -P)"; printf 'token=%s\\0' "\${MIRROR_CLONE_TOKEN:-}"; for a in "$@"; do printf 'arg=%s\\0' "$a"; done; printf '\\n'; } >> '${log}'\n`;
    await writeFile(path.join(directory, name), script);
    await chmod(path.join(directory, name), 0o755);
  }
}

/** Every recorded run of `name`, oldest first. */
export async function recordedRuns(directory: string, name: string): Promise<ProgramRun[]> {
  const text = await readFile(path.join(directory, `${name}.log`), 'utf8').catch(() => '');
  // The last piece is what follows the final terminator: empty, or a run still being written.
  const complete = text.split('\0\n').slice(0, -1);
  return complete
    .map((record) => {
      const fields = record.split('\0');
      const value = (key: string) => fields.filter((field) => field.startsWith(`${key}=`)).map((field) => field.slice(key.length + 1));
      return { cwd: value('cwd')[0] ?? '', token: value('token')[0] ?? '', args: value('arg') };
    });
}

/** Waits for the `count`th run (the programs are started detached, so they finish a moment later). */
export async function waitForRuns(directory: string, name: string, count: number, timeoutMs = 10_000): Promise<ProgramRun[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await recordedRuns(directory, name);
    if (runs.length >= count || Date.now() > deadline) return runs;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
