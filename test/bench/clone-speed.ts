/**
 * Clone speed and memory, side by side in one run:
 *   - our clone vs plain `git clone` from the same mirror, on ~10 MB and ~200 MB generated
 *     repositories (target: within 1.10x; the helper's own memory flat as the repository grows);
 *   - our clone (which picks the 5 ms mirror) vs `git clone` from the far primary (250 ms round
 *     trip, 20 Mbit/s) for the 200 MB repository (target: at least 10x faster).
 * The helper runs in this process, so its memory is this process's; git is a child process.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import type { CloneJob } from '../../shared/contract';
import { median, type BenchReport } from './report';

const run = promisify(execFile);

async function plainGitClone(url: string, token: string, directory: string): Promise<number> {
  const started = performance.now();
  await run('git', ['-c', `http.extraHeader=Authorization: Bearer ${token}`, 'clone', '--quiet', '--', url, directory], { maxBuffer: 1 << 20 });
  return performance.now() - started;
}

async function ourClone(helper: InProcessHelper, topology: Topology, slug: string, parent: string, folder: string, source = 'auto'): Promise<{ job: CloneJob; ms: number; peakRssMb: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const done = new Promise<CloneJob>((resolve) => {
    const off = helper.client.on('clone.state', ({ job }) => {
      if (job.finishedAt && job.repository === `BENCH/${slug}` && job.destination === path.join(parent, folder)) {
        off();
        resolve(job);
      }
    });
  });
  await helper.client.call('clone.start', { repository: `BENCH/${slug}`, parentDirectory: parent, folderName: folder, primary: topology.primary.baseUrl, source });
  const job = await done;
  clearInterval(sampler);
  if (job.state !== 'done') throw new Error(`clone failed: ${JSON.stringify(job.error)}`);
  return { job, ms: performance.now() - started, peakRssMb: (peak - baseline) / (1024 * 1024) };
}

export async function benchCloneSpeed(report: BenchReport): Promise<void> {
  console.log('  (generating ~210 MB of repositories...)');
  const topology = await startTopology({
    primary: { delayMs: 125, bandwidthBytesPerSec: 2_500_000 },
    mirrors: [{ name: 'near', delayMs: 2.5 }],
    projects: [{ key: 'BENCH', repos: [{ slug: 'small', sizeBytes: 10_000_000, seed: 1 }, { slug: 'large', sizeBytes: 200_000_000, seed: 2, files: 400, commits: 20 }] }],
  });
  const helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
  const work = await makeTempDir('bench-clone');
  try {
    const peaks: Record<string, number> = {};
    for (const slug of ['small', 'large']) {
      const ours: number[] = [];
      const transfer: number[] = [];
      const plain: number[] = [];
      let peak = 0;
      for (let round = 0; round < 3; round += 1) {
        const parent = path.join(work.path, `${slug}-${round}`);
        await mkdir(parent);
        plain.push(await plainGitClone(topology.repo('BENCH', slug).mirrorHttpUrl('near'), topology.credentials.token, path.join(parent, 'plain')));
        const result = await ourClone(helper, topology, slug, parent, 'ours', 'near');
        ours.push(result.ms);
        transfer.push(result.job.attempts.find((attempt) => attempt.ok)!.durationMs);
        peak = Math.max(peak, result.peakRssMb);
        await rm(parent, { recursive: true, force: true });
      }
      peaks[slug] = peak;
      const ratio = median(ours) / median(plain);
      const transferRatio = median(transfer) / median(plain);
      report.add({ suite: 'clone', name: `${slug}: plain git clone from the mirror, median of 3`, value: median(plain), unit: 'ms', details: { plain } });
      report.add({ suite: 'clone', name: `${slug}: our git transfer vs plain git clone`, value: transferRatio, unit: 'x', target: '<= 1.10', met: transferRatio <= 1.1, details: { transfer } });
      report.add({ suite: 'clone', name: `${slug}: our whole clone (discovery, top-up) vs plain`, value: ratio, unit: 'x', target: '<= 1.10', met: ratio <= 1.1, details: { ours } });
      report.add({ suite: 'clone', name: `${slug}: helper memory growth during our clone (peak RSS)`, value: peak, unit: 'MB' });
    }
    const growth = peaks.large! - peaks.small!;
    report.add({ suite: 'clone', name: 'helper memory: 200 MB repo minus 10 MB repo', value: growth, unit: 'MB', target: 'flat (< 25 MB)', met: growth < 25 });

    const parent = path.join(work.path, 'far');
    await mkdir(parent);
    const far = await plainGitClone(topology.repo('BENCH', 'large').httpUrl, topology.credentials.token, path.join(parent, 'from-primary'));
    const near = await ourClone(helper, topology, 'large', parent, 'ours');
    report.add({ suite: 'clone', name: 'large: plain git clone from the far primary (250 ms, 20 Mbit/s)', value: far / 1000, unit: 's' });
    report.add({ suite: 'clone', name: `large: our clone (chose ${near.job.result!.source.name}) speed-up over that`, value: far / near.ms, unit: 'x', target: '>= 10', met: far / near.ms >= 10 });
  } finally {
    await helper.stop();
    await topology.stop();
    await work.cleanup();
  }
}
