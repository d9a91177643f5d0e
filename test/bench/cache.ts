/**
 * What local mirrors buy, in one run:
 *   - a second clone of a ~200 MB repository with its local mirror present vs without, from a
 *     mirror at 40 ms round trip and 50 Mbit/s (target: at least 5x faster);
 *   - the helper's idle CPU and memory while it keeps 20 local mirrors (background sync on).
 * The CLI and the helper run as their own processes, as they would for a user.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology } from '../fixtures/bitbucket/topology';
import { makeTempDir } from '../support/temp-dir';
import { startHelperProcess } from '../support/helper-process';
import { connectClient } from '../support/websocket-client';
import type { BenchReport } from './report';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'dist', 'electron', 'cli.js');

function timedCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')}: ${stderr}`))));
  });
}

/** CPU seconds (user + system) a process has used, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; 100 per second on Linux
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

export async function benchCache(report: BenchReport): Promise<void> {
  await run(process.execPath, [path.join(repoRoot, 'scripts', 'build-electron.mjs')], { cwd: repoRoot });
  console.log('  (generating ~210 MB of repositories...)');
  const topology = await startTopology({
    primary: { delayMs: 125, bandwidthBytesPerSec: 2_500_000 },
    mirrors: [{ name: 'm40', delayMs: 20, bandwidthBytesPerSec: 6_250_000 }],
    projects: [
      { key: 'BENCH', repos: [{ slug: 'large', sizeBytes: 200_000_000, seed: 3, files: 400, commits: 20 }] },
      { key: 'MANY', repos: Array.from({ length: 20 }, (_, index) => ({ slug: `repo-${index}`, seed: 100 + index })) },
    ],
  });
  const work = await makeTempDir('bench-cache');
  try {
    const base = { MIRROR_CLONE_TOKEN: topology.credentials.token };
    const withCache = { ...base, MIRROR_CLONE_HOME: path.join(work.path, 'with-cache') };
    const withoutCache = { ...base, MIRROR_CLONE_HOME: path.join(work.path, 'without-cache') };
    const primary = ['--primary', topology.primary.baseUrl];
    const addMs = await timedCli(['local-mirrors', 'add', 'BENCH/large', ...primary], withCache);
    const without = await timedCli(['clone', 'BENCH/large', path.join(work.path, 'clone-without'), ...primary], withoutCache);
    const withLocal = await timedCli(['clone', 'BENCH/large', path.join(work.path, 'clone-with'), ...primary], withCache);
    report.add({ suite: 'cache', name: 'large: making the local mirror (40 ms, 50 Mbit/s)', value: addMs / 1000, unit: 's' });
    report.add({ suite: 'cache', name: 'large: clone without a local mirror', value: without / 1000, unit: 's' });
    report.add({ suite: 'cache', name: 'large: clone with the local mirror present', value: withLocal / 1000, unit: 's' });
    report.add({ suite: 'cache', name: 'large: speed-up of the second clone', value: without / withLocal, unit: 'x', target: '>= 5', met: without / withLocal >= 5 });

    const home = await makeTempDir('bench-idle');
    const helper = await startHelperProcess({ home: home.path, env: base });
    try {
      const { client, socket } = await connectClient(helper.address.url, helper.address.token);
      for (let index = 0; index < 20; index += 1) await client.call('cache.add', { repository: `MANY/repo-${index}`, primary: topology.primary.baseUrl });
      socket.close();
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // let start-up work settle
      const pid = helper.process.pid!;
      const cpuBefore = await cpuSeconds(pid);
      const idleSeconds = 20;
      await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
      const cpu = (await cpuSeconds(pid)) - cpuBefore;
      report.add({ suite: 'cache', name: `helper idle with 20 local mirrors: CPU over ${idleSeconds} s`, value: (cpu / idleSeconds) * 100, unit: '% of a core', target: '< 1%', met: cpu / idleSeconds < 0.01 });
      report.add({ suite: 'cache', name: 'helper idle with 20 local mirrors: resident memory', value: await rssMb(pid), unit: 'MB' });
    } finally {
      await helper.stop();
      await home.cleanup();
    }
  } finally {
    await topology.stop();
    await work.cleanup();
  }
}
