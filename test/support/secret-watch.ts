/**
 * Watching for a secret where other local users could find it: the arguments and environment of
 * every process (secret-scanner.mjs polls /proc in a tight loop), and stand-ins for programs that
 * record every run's arguments and whole environment before running the real program, so even a
 * process too short-lived for the poller is seen.
 */
import { execFile, spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ScanReport {
  passes: number;
  /** Every distinct command line seen. */
  processes: string[];
  hits: { pid: string; file: 'cmdline' | 'environ'; args: string }[];
}

export interface SecretWatch {
  /** Stops watching; what was seen. */
  stop(): Promise<ScanReport>;
}

/** Resolves once the first pass over every process is done. */
export async function watchProcessesFor(secret: string): Promise<SecretWatch> {
  const scanner = spawn(process.execPath, [path.join(import.meta.dirname, 'secret-scanner.mjs')], { stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: process.env.PATH ?? '' } });
  let output = '';
  scanner.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => scanner.on('close', () => resolve()));
  scanner.stdin.write(`${secret}\n`);
  for (let waited = 0; !output.startsWith('ready\n'); waited += 10) {
    if (waited > 30_000 || scanner.exitCode !== null) throw new Error(`the process scanner did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    async stop() {
      scanner.stdin.end();
      await exited;
      return JSON.parse(output.slice('ready\n'.length)) as ScanReport;
    },
  };
}

/**
 * Puts a recording stand-in for each program in `directory` (first on the PATH the test then
 * gives): it appends its arguments and environment to `<name>.log`, then runs the real program.
 */
export async function writeTracingStandIns(directory: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const real = (await run('sh', ['-c', `command -v ${name}`])).stdout.trim();
    const log = path.join(directory, `${name}.log`);
    const script = `#!/bin/sh\n{ printf 'run\\0'; for a in "$@"; do printf 'arg=%s\\0' "$a"; done; env -0; printf '\\n'; } >> '${log}'\nexec '${real}' "$@"\n`;
    await writeFile(path.join(directory, name), script);
    await chmod(path.join(directory, name), 0o755);
  }
}

/** Everything the stand-in for `name` recorded ('' when it never ran). */
export function tracedRuns(directory: string, name: string): Promise<string> {
  return readFile(path.join(directory, `${name}.log`), 'utf8').catch(() => '');
}
