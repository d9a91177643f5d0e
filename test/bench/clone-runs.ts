/**
 * What the clone benchmarks run and look at, side by side: plain `git clone` as a person runs it,
 * the `mirror-clone` command line's whole clone and discovery (the built bundle, in its own
 * process, as a user runs it), the requests an instance received meanwhile, and whether a clone's
 * `origin/*` matches the primary.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Topology } from '../fixtures/bitbucket/topology';

const run = promisify(execFile);
export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cliBundle = path.join(repoRoot, 'dist', 'electron', 'cli.js');

/** Builds the CLI bundle the runs below start, so they measure today's sources. */
export async function buildCliBundle(): Promise<void> {
  await run(process.execPath, [path.join(repoRoot, 'scripts', 'build-electron.mjs')], { cwd: repoRoot });
}

/**
 * `git clone` as a person runs it at a terminal, where git shows its progress (measured here,
 * git's own progress costs it 5-10% on a fast local link); `quiet` is the scripted form.
 */
export async function plainGitClone(url: string, token: string, directory: string, quiet = false): Promise<number> {
  const started = performance.now();
  await run('git', ['-c', `http.extraHeader=Authorization: Bearer ${token}`, 'clone', quiet ? '--quiet' : '--progress', '--', url, directory], { maxBuffer: 1 << 24 });
  return performance.now() - started;
}

/** `git fetch` of every branch from another server into origin/*, as a person tops up a clone by hand. */
export async function plainGitFetch(url: string, token: string, directory: string): Promise<number> {
  const started = performance.now();
  await run('git', ['-c', `http.extraHeader=Authorization: Bearer ${token}`, 'fetch', '--quiet', '--', url, '+refs/heads/*:refs/remotes/origin/*'], { cwd: directory, maxBuffer: 1 << 24 });
  return performance.now() - started;
}

export interface CliClone {
  ms: number;
  /** The successful attempt's own transfer time, as the clone reports it. */
  transferMs: number;
  source: string;
  path: string;
  toppedUpFromPrimary: string[];
  /** Peak resident memory of the CLI process (the helper's services run in it), in MB. */
  peakRssMb: number;
  /** From start to the moment the work tree was ready (its `ready` event line), for a clone in steps. */
  readyMs?: number;
}

async function peakRssKb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status && /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) : undefined;
}

function cliEnv(topology: Topology, home: string): NodeJS.ProcessEnv {
  return { ...process.env, MIRROR_CLONE_HOME: home, MIRROR_CLONE_TOKEN: topology.credentials.token };
}

/** `mirror-clone clone <repository> <directory> --json`: the whole clone, from start to exit. */
export function cliClone(topology: Topology, repository: string, directory: string, home: string, mirror?: string): Promise<CliClone> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = [cliBundle, 'clone', repository, directory, '--primary', topology.primary.baseUrl, '--json', ...(mirror ? ['--mirror', mirror] : [])];
    const child = spawn(process.execPath, args, { env: cliEnv(topology, home), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    const sampler = setInterval(() => void peakRssKb(child.pid!).then((kb) => (peakKb = Math.max(peakKb, kb ?? 0))), 25);
    let readyMs: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // The ready line comes before the result, as soon as the work tree can be opened.
      if (readyMs === undefined && stdout.includes('{"event":"ready"')) readyMs = performance.now() - started;
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearInterval(sampler);
      if (code !== 0) {
        reject(new Error(`mirror-clone clone failed (${code}): ${stderr}`));
        return;
      }
      // Event lines (ready) may come first: the result is the last line.
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { path: string; source: { name: string }; toppedUpFromPrimary: string[]; attempts: { ok: boolean; durationMs: number }[] };
      resolve({
        ms: performance.now() - started,
        transferMs: result.attempts.find((attempt) => attempt.ok)!.durationMs,
        source: result.source.name,
        path: result.path,
        toppedUpFromPrimary: result.toppedUpFromPrimary,
        peakRssMb: peakKb / 1024,
        ...(readyMs !== undefined ? { readyMs } : {}),
      });
    });
  });
}

/** What `mirror-clone discover --json` says; the fields a version may not print yet are optional. */
export interface CliDiscovery {
  candidates: { name: string; chosen: boolean; rttMs: number | null; status: string; expectedMs?: number | null; throughputBytesPerSec?: number | null }[];
  reason: string;
  decidedBy?: string;
  durationMs?: number;
  throughputProbe?: { bytes: number; durationMs: number; servers: number } | null;
}

/** `mirror-clone discover <repository> --json` (with --quick: stop measuring as a clone does). */
export async function cliDiscover(topology: Topology, repository: string, home: string, quick: boolean): Promise<CliDiscovery & { ms: number }> {
  const started = performance.now();
  const args = [cliBundle, 'discover', repository, '--primary', topology.primary.baseUrl, '--json', ...(quick ? ['--quick'] : [])];
  const { stdout } = await run(process.execPath, args, { env: cliEnv(topology, home), maxBuffer: 1 << 24 });
  return { ...(JSON.parse(stdout) as CliDiscovery), ms: performance.now() - started };
}

/**
 * Requests an instance received while `work` ran, counted by path (git's smart-HTTP paths and
 * REST resources alike), and the TCP connections that carried them (each one a handshake, a
 * round trip more), from the emulator's request log.
 */
export async function countRequests<T>(
  topology: Topology,
  instance: string,
  work: () => Promise<T>,
): Promise<{ result: T; total: number; connections: number; byPath: Record<string, number> }> {
  const before = topology.state.requestLog.length;
  const result = await work();
  const byPath: Record<string, number> = {};
  const requests = topology.state.requestLog.slice(before).filter((request) => request.instance === instance);
  for (const request of requests) {
    const key = `${request.method} ${request.path}`;
    byPath[key] = (byPath[key] ?? 0) + 1;
  }
  const connections = new Set(requests.map((request) => request.connection)).size;
  return { result, total: requests.length, connections, byPath };
}

/** Branches whose origin/* in the clone differs from (or lacks) the primary's refs/heads/*. */
export async function refsDifferingFromPrimary(clonePath: string, primaryGitDir: string): Promise<string[]> {
  const list = async (args: string[], prefix: string) => {
    const { stdout } = await run('git', [...args, 'for-each-ref', '--format=%(refname) %(objectname)', prefix]);
    return new Map(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ') as [string, string])
        .map(([ref, sha]) => [ref.slice(prefix.length), sha]),
    );
  };
  const primary = await list(['--git-dir', primaryGitDir], 'refs/heads/');
  const clone = await list(['-C', clonePath], 'refs/remotes/origin/');
  clone.delete('HEAD');
  const names = new Set([...primary.keys(), ...clone.keys()]);
  return [...names].filter((name) => primary.get(name) !== clone.get(name)).sort();
}
