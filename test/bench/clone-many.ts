/**
 * A dozen repositories in one step over a thin link (the office mirror's 1 MB/s, split among
 * parallel connections as a real uplink is; the primary farther and as thin), side by side in
 * one run, each of our runs from a fresh data folder (day one: nothing known of the link):
 *   - ours, concurrency chosen from the measured link, vs ours one at a time (--jobs 1) and
 *     all at once (--jobs 12);
 *   - vs plain `git clone`s of the same repositories from the same sources, one after another
 *     and all at once.
 * Besides the total time: when the first repository was ready, and the mean time until each
 * was (all at once finishes every repository late, none early).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { makeTempDir } from '../support/temp-dir';
import { buildCliBundle, repoRoot } from './clone-runs';
import type { BenchReport } from './report';

const run = promisify(execFile);
const cliBundle = path.join(repoRoot, 'dist', 'electron', 'cli.js');
const slugs = Array.from({ length: 12 }, (_, index) => `service-${String(index + 1).padStart(2, '0')}`);
const link = 1_000_000;

interface BatchRun {
  ms: number;
  /** Milliseconds from the start until each repository was reported ready. */
  ready: number[];
  /** Source name per slug, as the run reported it. */
  sources: Map<string, string>;
  summary: string;
}

/** `mirror-clone clone --project BENCH --into DIR [--jobs N]`, timing each "✓" line as it comes. */
function cliBatch(topology: Topology, into: string, home: string, jobs?: number): Promise<BatchRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const args = [cliBundle, 'clone', '--project', 'BENCH', '--into', into, '--primary', topology.primary.baseUrl, ...(jobs ? ['--jobs', String(jobs)] : [])];
    const child = spawn(process.execPath, args, { env: { ...process.env, MIRROR_CLONE_HOME: home, MIRROR_CLONE_TOKEN: topology.credentials.token }, stdio: ['ignore', 'pipe', 'pipe'] });
    const ready: number[] = [];
    const sources = new Map<string, string>();
    let pending = '';
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const match = /^✓ BENCH\/(\S+) → \S+ from (.+?)(?: \(mirror\))?:/.exec(line);
        if (!match) continue;
        ready.push(performance.now() - started);
        sources.set(match[1]!, match[2]!);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      if (code !== 0 || ready.length !== slugs.length) return reject(new Error(`mirror-clone clone --project failed (${code}): ${stderr}${stdout}`));
      resolve({ ms: performance.now() - started, ready, sources, summary: stdout.trim().split('\n').at(-1)! });
    });
  });
}

async function plainClone(url: string, token: string, directory: string): Promise<number> {
  const started = performance.now();
  await run('git', ['-c', `http.extraHeader=Authorization: Bearer ${token}`, 'clone', '--quiet', '--', url, directory], { maxBuffer: 1 << 24 });
  return performance.now() - started;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

export async function benchCloneMany(report: BenchReport): Promise<void> {
  await buildCliBundle();
  console.log('  (generating 12 repositories of ~1 MB...)');
  const topology = await startTopology({
    primary: { delayMs: 60, bandwidthBytesPerSec: link, sharedBandwidth: true, ssh: false },
    mirrors: [{ name: 'office', delayMs: 10, bandwidthBytesPerSec: link, sharedBandwidth: true }],
    projects: [{ key: 'BENCH', repos: slugs.map((slug, index) => ({ slug, sizeBytes: 1_000_000, seed: 100 + index, commits: 12 })) }],
  });
  const work = await makeTempDir('bench-clone-many');
  const token = topology.credentials.token;
  try {
    const fresh = async (name: string) => {
      const dir = path.join(work.path, name);
      await mkdir(dir);
      return { into: path.join(dir, 'src'), home: path.join(dir, 'home'), dir };
    };
    const ours = async (name: string, jobs?: number) => {
      const place = await fresh(name);
      const result = await cliBatch(topology, place.into, place.home, jobs);
      await rm(place.dir, { recursive: true, force: true });
      return result;
    };
    const chosen = await ours('chosen');
    const concurrency = /; (\d+) at once/.exec(chosen.summary)?.[1];
    const urlOf = (slug: string) => {
      const source = chosen.sources.get(slug)!;
      return topology.mirrors[source] ? topology.repo('BENCH', slug).mirrorHttpUrl(source) : topology.repo('BENCH', slug).httpUrl;
    };
    const one = await ours('one-at-a-time', 1);
    const all = await ours('all-at-once', slugs.length);

    const plainDir = await fresh('plain');
    const sequentialStarted = performance.now();
    const sequentialReady: number[] = [];
    for (const slug of slugs) {
      await plainClone(urlOf(slug), token, path.join(plainDir.dir, 'sequential', slug));
      sequentialReady.push(performance.now() - sequentialStarted);
    }
    const sequential = performance.now() - sequentialStarted;
    const parallelStarted = performance.now();
    const parallelReady = await Promise.all(slugs.map(async (slug) => {
      await plainClone(urlOf(slug), token, path.join(plainDir.dir, 'parallel', slug));
      return performance.now() - parallelStarted;
    }));
    const parallel = performance.now() - parallelStarted;

    const sources = [...new Set(chosen.sources.values())].join(', ');
    report.add({ suite: 'many', name: `12 repos, 1 MB/s link: ours, concurrency chosen (${concurrency ?? '?'} at once, from ${sources})`, value: chosen.ms / 1000, unit: 's', details: { summary: chosen.summary, ready: chosen.ready } });
    report.add({ suite: 'many', name: '  ours one at a time (--jobs 1)', value: one.ms / 1000, unit: 's', details: { ready: one.ready } });
    report.add({ suite: 'many', name: '  ours all at once (--jobs 12)', value: all.ms / 1000, unit: 's', details: { ready: all.ready } });
    report.add({ suite: 'many', name: '  plain git clone, one after another', value: sequential / 1000, unit: 's' });
    report.add({ suite: 'many', name: '  plain git clone, all at once', value: parallel / 1000, unit: 's' });
    // On a link this thin the bytes dominate: the measuring clone plus 11 MB at 1 MB/s is about 0.72x at best.
    report.add({ suite: 'many', name: 'chosen vs ours one at a time', value: chosen.ms / one.ms, unit: 'x', target: '<= 0.85', met: chosen.ms / one.ms <= 0.85 });
    report.add({ suite: 'many', name: 'chosen vs ours all at once', value: chosen.ms / all.ms, unit: 'x', target: '<= 1.15', met: chosen.ms / all.ms <= 1.15 });
    report.add({ suite: 'many', name: 'chosen vs plain git clones one after another', value: chosen.ms / sequential, unit: 'x', target: '<= 1.00', met: chosen.ms / sequential <= 1 });
    report.add({ suite: 'many', name: 'chosen vs plain git clones all at once', value: chosen.ms / parallel, unit: 'x' });
    report.add({ suite: 'many', name: 'first repository ready: chosen vs ours all at once', value: Math.min(...chosen.ready) / Math.min(...all.ready), unit: 'x' });
    report.add({
      suite: 'many',
      name: 'mean time until a repository is ready: chosen vs all at once',
      value: mean(chosen.ready) / mean(all.ready),
      unit: 'x',
      target: '<= 0.90',
      met: mean(chosen.ready) / mean(all.ready) <= 0.9,
      details: { chosenMs: mean(chosen.ready), allMs: mean(all.ready), oneMs: mean(one.ready), plainSequentialMs: mean(sequentialReady), plainParallelMs: mean(parallelReady) },
    });
  } finally {
    await topology.stop();
    await work.cleanup();
  }
}
