/**
 * Clone speed and memory, side by side in one run:
 *   - our clone (the `mirror-clone` CLI, its own process like the app's helper) vs plain
 *     `git clone` from the same mirror, on ~10 MB and ~200 MB generated repositories
 *     (target: within 1.10x; the helper's own memory flat as the repository grows);
 *   - our clone (which picks the 5 ms mirror) vs `git clone` from the far primary (250 ms round
 *     trip, 20 Mbit/s) for the 200 MB repository (target: at least 10x faster).
 * The emulator runs in this process; the CLI and git run in their own, as they would for a user.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { makeTempDir } from '../support/temp-dir';
import { median, type BenchReport } from './report';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cliBundle = path.join(repoRoot, 'dist', 'electron', 'cli.js');

/**
 * `git clone` as a person runs it at a terminal, where git shows its progress (measured here,
 * git's own progress costs it 5-10% on a fast local link); `quiet` is the scripted form.
 */
async function plainGitClone(url: string, token: string, directory: string, quiet = false): Promise<number> {
  const started = performance.now();
  await run('git', ['-c', `http.extraHeader=Authorization: Bearer ${token}`, 'clone', quiet ? '--quiet' : '--progress', '--', url, directory], { maxBuffer: 1 << 24 });
  return performance.now() - started;
}

interface CliClone {
  ms: number;
  transferMs: number;
  source: string;
  /** Peak resident memory of the CLI process (the helper's services run in it), in MB. */
  peakRssMb: number;
}

async function peakRssKb(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const match = status && /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) : undefined;
}

function cliClone(topology: Topology, slug: string, directory: string, home: string, mirror?: string): Promise<CliClone> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = [cliBundle, 'clone', `BENCH/${slug}`, directory, '--primary', topology.primary.baseUrl, '--json', ...(mirror ? ['--mirror', mirror] : [])];
    const child = spawn(process.execPath, args, { env: { ...process.env, MIRROR_CLONE_HOME: home, MIRROR_CLONE_TOKEN: topology.credentials.token }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = 0;
    const sampler = setInterval(() => void peakRssKb(child.pid!).then((kb) => (peakKb = Math.max(peakKb, kb ?? 0))), 25);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearInterval(sampler);
      if (code !== 0) {
        reject(new Error(`mirror-clone clone failed (${code}): ${stderr}`));
        return;
      }
      const result = JSON.parse(stdout) as { source: { name: string }; attempts: { ok: boolean; durationMs: number }[] };
      resolve({ ms: performance.now() - started, transferMs: result.attempts.find((attempt) => attempt.ok)!.durationMs, source: result.source.name, peakRssMb: peakKb / 1024 });
    });
  });
}

export async function benchCloneSpeed(report: BenchReport): Promise<void> {
  await run(process.execPath, [path.join(repoRoot, 'scripts', 'build-electron.mjs')], { cwd: repoRoot });
  console.log('  (generating ~210 MB of repositories...)');
  const topology = await startTopology({
    primary: { delayMs: 125, bandwidthBytesPerSec: 2_500_000 },
    mirrors: [{ name: 'near', delayMs: 2.5 }],
    projects: [{ key: 'BENCH', repos: [{ slug: 'small', sizeBytes: 10_000_000, seed: 1 }, { slug: 'large', sizeBytes: 200_000_000, seed: 2, files: 400, commits: 20 }] }],
  });
  const work = await makeTempDir('bench-clone');
  try {
    const peaks: Record<string, number> = {};
    for (const slug of ['small', 'large']) {
      const ours: number[] = [];
      const transfer: number[] = [];
      const plain: number[] = [];
      const quiet: number[] = [];
      let peak = 0;
      for (let round = 0; round < 3; round += 1) {
        const parent = path.join(work.path, `${slug}-${round}`);
        await mkdir(parent);
        // Alternate which goes first, so neither always gets the warmer caches.
        const plainFirst = round % 2 === 0;
        if (plainFirst) plain.push(await plainGitClone(topology.repo('BENCH', slug).mirrorHttpUrl('near'), topology.credentials.token, path.join(parent, 'plain')));
        const result = await cliClone(topology, slug, path.join(parent, 'ours'), path.join(parent, 'home'), 'near');
        if (!plainFirst) plain.push(await plainGitClone(topology.repo('BENCH', slug).mirrorHttpUrl('near'), topology.credentials.token, path.join(parent, 'plain')));
        quiet.push(await plainGitClone(topology.repo('BENCH', slug).mirrorHttpUrl('near'), topology.credentials.token, path.join(parent, 'quiet'), true));
        ours.push(result.ms);
        transfer.push(result.transferMs);
        peak = Math.max(peak, result.peakRssMb);
        await rm(parent, { recursive: true, force: true });
      }
      peaks[slug] = peak;
      const ratio = median(ours) / median(plain);
      const transferRatio = median(transfer) / median(plain);
      report.add({ suite: 'clone', name: `${slug}: plain git clone --progress from the mirror, median of 3`, value: median(plain), unit: 'ms', details: { plain } });
      report.add({ suite: 'clone', name: `${slug}: plain git clone --quiet, for reference`, value: median(quiet), unit: 'ms', details: { quiet } });
      report.add({ suite: 'clone', name: `${slug}: our git transfer vs plain git clone`, value: transferRatio, unit: 'x', target: '<= 1.10', met: transferRatio <= 1.1, details: { transfer } });
      report.add({ suite: 'clone', name: `${slug}: our whole clone (CLI start, discovery, top-up) vs plain`, value: ratio, unit: 'x', target: '<= 1.10', met: ratio <= 1.1, details: { ours } });
      report.add({ suite: 'clone', name: `${slug}: helper (CLI process) peak memory`, value: peak, unit: 'MB' });
    }
    const growth = peaks.large! - peaks.small!;
    report.add({ suite: 'clone', name: 'helper memory: 200 MB repo minus 10 MB repo', value: growth, unit: 'MB', target: 'flat (< 10 MB)', met: growth < 10 });

    const parent = path.join(work.path, 'far');
    await mkdir(parent);
    const far = await plainGitClone(topology.repo('BENCH', 'large').httpUrl, topology.credentials.token, path.join(parent, 'from-primary'));
    const near = await cliClone(topology, 'large', path.join(parent, 'ours'), path.join(parent, 'home'));
    report.add({ suite: 'clone', name: 'large: plain git clone from the far primary (250 ms, 20 Mbit/s)', value: far / 1000, unit: 's' });
    report.add({ suite: 'clone', name: `large: our clone (chose ${near.source}) speed-up over that`, value: far / near.ms, unit: 'x', target: '>= 10', met: far / near.ms >= 10 });
  } finally {
    await topology.stop();
    await work.cleanup();
  }
}
