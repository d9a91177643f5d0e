/**
 * Starts the real helper as its own process (`npm run helper` without npm in between) and reads
 * the one JSON line it prints. Tests stop it by PID; `stop()` waits until it has exited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import path from 'node:path';

export interface HelperAddress {
  url: string;
  token: string;
  uiUrl?: string;
  pid: number;
  version: string;
  dataDir: string;
}

export interface RunningHelper {
  address: HelperAddress;
  process: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would end it: no clean-up runs. Resolves once it has exited. */
  kill(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export async function startHelperProcess(options: { home: string; ui?: string; port?: number; env?: NodeJS.ProcessEnv }): Promise<RunningHelper> {
  const args = ['--import', 'tsx', path.join(repoRoot, 'electron/helper/standalone.ts')];
  if (options.ui) args.push('--ui', options.ui);
  if (options.port !== undefined) args.push('--port', String(options.port));
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, MIRROR_CLONE_HOME: options.home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const lines = createInterface({ input: child.stdout! });
  const firstLine = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    once(child, 'exit').then(([code]) => {
      throw new Error(`helper exited with ${code} before printing its address: ${stderr}`);
    }),
  ]);
  let address: HelperAddress;
  try {
    address = JSON.parse(firstLine) as HelperAddress;
  } catch {
    // Not its address: whatever it is doing, it is of no use to the test and must not outlive it.
    child.kill('SIGKILL');
    throw new Error(`helper printed ${JSON.stringify(firstLine)} instead of its address: ${stderr}`);
  }

  return {
    address,
    process: child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}
