/**
 * Clones in steps, side by side in one run against a mirror 40 ms away at 50 Mbit/s, on two
 * repositories of realistic shape (the newest commit's files 10 to 20% of the pack), each named
 * in its rows:
 *   - a binary history (200 MB, or BENCH_RESUME_MB): random blobs that never delta, the worst
 *     case (binary assets): the server searches for deltas in vain before every deepen step;
 *   - a text-like history (100 MB, or BENCH_RESUME_TEXT_MB): source code edited commit by
 *     commit, stored as delta chains the server can send as they are.
 * For each:
 *   - bytes received by our stepped clone over a clean link vs one `git clone` pack (target
 *     <= 1.10x), and its whole time (CLI start to exit) vs plain `git clone` (target <= 1.15x);
 *   - bytes received when the link is cut once at 40% and at 90% of the transfer, vs the single
 *     pack (targets <= 1.25x and <= 1.15x), beside what starting again costs plain git there;
 *   - the time until the work tree is ready (CLI start to its `ready` line) vs a plain full
 *     `git clone` (target <= 0.3x);
 *   - and, without targets, the same on a network where a transfer broke lately, where the history
 *     comes in deepen steps from the start (break-memory.ts).
 * Bytes are what the mirror's shaping proxy sent; both clones name the mirror, so no discovery
 * measurement shares the count.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { realisticHistory, sourceCodeHistory } from '../fixtures/bitbucket/repo-population';
import type { RepoDescription } from '../fixtures/bitbucket/topology-types';
import { makeTempDir } from '../support/temp-dir';
import { buildCliBundle, cliClone, countRequests, plainGitClone } from './clone-runs';
import type { BenchReport } from './report';

const run = promisify(execFile);
const mirror = 'far-mirror';

interface BenchRepository {
  slug: string;
  /** How the rows name it, e.g. 'binary history, 200 MB'. */
  label: string;
  description: RepoDescription;
}

function benchRepositories(): BenchRepository[] {
  const binaryMb = Number(process.env.BENCH_RESUME_MB ?? 200);
  const textMb = Number(process.env.BENCH_RESUME_TEXT_MB ?? 100);
  const common = { seed: 3, branches: ['release'], tags: ['v1', 'v2'] };
  return [
    { slug: 'binary', label: `binary history, ${binaryMb} MB`, description: { slug: 'binary', sizeBytes: binaryMb * 1_000_000, ...common, ...realisticHistory() } },
    { slug: 'text', label: `text-like history, ${textMb} MB`, description: { slug: 'text', sizeBytes: textMb * 1_000_000, ...common, ...sourceCodeHistory() } },
  ];
}

async function mirrorBytes<T>(topology: Topology, work: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const proxy = topology.mirrors[mirror]!.proxy;
  const before = proxy.bytesDownstream;
  const result = await work();
  return { result, bytes: proxy.bytesDownstream - before };
}

/** Plain git after a cut: the clone fails, and the user runs it again from zero. */
async function plainGitRestart(topology: Topology, url: string, directory: string, cutAt: number): Promise<number> {
  topology.setFault(mirror, { kind: 'cut-after-bytes', bytes: cutAt, times: 1, counted: 'since-set' }, 'http');
  const { bytes } = await mirrorBytes(topology, async () => {
    await run('git', ['-c', `http.extraHeader=Authorization: Bearer ${topology.credentials.token}`, 'clone', '--quiet', '--', url, directory]).catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
    await plainGitClone(url, topology.credentials.token, directory, true);
  });
  topology.setFault(mirror, { kind: 'none' }, 'http');
  return bytes;
}

export async function benchResume(report: BenchReport): Promise<void> {
  await buildCliBundle();
  const repositories = benchRepositories();
  console.log(`  (generating repositories of realistic shape: ${repositories.map((repository) => repository.label).join('; ')}...)`);
  const generating = performance.now();
  const topology = await startTopology({
    primary: { delayMs: 40, bandwidthBytesPerSec: 6_250_000 },
    mirrors: [{ name: mirror, delayMs: 40, bandwidthBytesPerSec: 6_250_000 }],
    projects: [{ key: 'BENCH', repos: repositories.map((repository) => repository.description) }],
  });
  console.log(`  (generated and mirrored in ${((performance.now() - generating) / 1000).toFixed(1)} s)`);
  const work = await makeTempDir('bench-resume');
  try {
    for (const repository of repositories) await benchRepository(report, topology, work.path, repository);
  } finally {
    await topology.stop();
    await work.cleanup();
  }
}

/** Every figure of this suite for one repository, in rows that name it. */
async function benchRepository(report: BenchReport, topology: Topology, workPath: string, repository: BenchRepository): Promise<void> {
  const { label, slug } = repository;
  const url = topology.repo('BENCH', slug).mirrorHttpUrl(mirror);
  // A home of its own for each clone (nothing remembered), or a shared one: `brokeHome` is where
  // the cut at 40% happens, so the clones after it there are on a network where a transfer broke.
  const brokeHome = path.join(workPath, `${slug}-broke-home`);
  const clone = async (name: string, home?: string) => {
    const parent = path.join(workPath, `${slug}-${name}`);
    await mkdir(parent);
    const measured = await mirrorBytes(topology, () => cliClone(topology, `BENCH/${slug}`, path.join(parent, slug), home ?? path.join(parent, 'home'), mirror));
    await rm(parent, { recursive: true, force: true });
    return measured;
  };
  const cutClone = async (name: string, share: number, home?: string) => {
    topology.setFault(mirror, { kind: 'cut-after-bytes', bytes: Math.round(plain.bytes * share), times: 1, counted: 'since-set' }, 'http');
    const struckBefore = topology.mirrors[mirror]!.proxy.struckConnections;
    const cut = await clone(name, home);
    topology.setFault(mirror, { kind: 'none' }, 'http');
    // A clone the cut never reached measured a clean link: its ratio says nothing of a break.
    return { ...cut, wasCut: topology.mirrors[mirror]!.proxy.struckConnections > struckBefore };
  };

  const plainDir = path.join(workPath, `${slug}-plain`);
  const plain = await mirrorBytes(topology, () => plainGitClone(url, topology.credentials.token, plainDir));
  await rm(plainDir, { recursive: true, force: true });
  report.add({ suite: 'resume', name: `${label}: plain git clone, one pack (40 ms, 50 Mbit/s)`, value: plain.result, unit: 'ms', details: { bytes: plain.bytes } });

  // How many git commands reached the mirror (one capability advertisement each): a step costs
  // its round trips and, after the first, the server's delta search against what the clone
  // already holds (step-plan.ts).
  const { result: clean, byPath } = await countRequests(topology, mirror, () => clone('clean'));
  const gitCommands = Object.entries(byPath).filter(([request]) => request.startsWith('GET ') && request.endsWith('/info/refs')).reduce((sum, [, count]) => sum + count, 0);
  const bytesRatio = clean.bytes / plain.bytes;
  const timeRatio = clean.result.ms / plain.result;
  report.add({ suite: 'resume', name: `${label}: stepped clone bytes vs one pack, clean link`, value: bytesRatio, unit: 'x', target: '<= 1.10', met: bytesRatio <= 1.1, details: { bytes: clean.bytes } });
  report.add({ suite: 'resume', name: `${label}: stepped clone (whole CLI run) time vs plain git`, value: timeRatio, unit: 'x', target: '<= 1.15', met: timeRatio <= 1.15, details: { ms: clean.result.ms, transferMs: clean.result.transferMs, gitCommands } });
  // A clone that never said it was ready has no figure here: it counts as missed.
  const readyRatio = clean.result.readyMs === undefined ? Number.NaN : clean.result.readyMs / plain.result;
  report.add({ suite: 'resume', name: `${label}: time until the work tree is ready vs plain full git clone`, value: readyRatio, unit: 'x', target: '<= 0.30', met: readyRatio <= 0.3, details: { readyMs: clean.result.readyMs ?? null, plainMs: plain.result } });

  for (const [share, target] of [[0.4, 1.25], [0.9, 1.15]] as const) {
    const cutAt = Math.round(plain.bytes * share);
    const cut = await cutClone(`cut-${share}`, share, share === 0.4 ? brokeHome : undefined);
    const ratio = cut.bytes / plain.bytes;
    const percent = Math.round(share * 100);
    report.add({ suite: 'resume', name: `${label}: stepped clone cut once at ${percent}%: bytes vs one pack`, value: ratio, unit: 'x', target: `<= ${target.toFixed(2)}`, met: cut.wasCut && ratio <= target, details: { bytes: cut.bytes, ms: cut.result.ms, wasCut: cut.wasCut } });
    const restart = await plainGitRestart(topology, url, path.join(workPath, `${slug}-restart-${share}`), cutAt);
    report.add({ suite: 'resume', name: `${label}: plain git cut at ${percent}% and started again: bytes vs one pack`, value: restart / plain.bytes, unit: 'x', details: { bytes: restart } });
  }

  // The same clones on a network where a transfer broke (the cut at 40% above, in this home): the
  // history comes in deepen steps from the start, which costs time on a clean link and keeps a
  // break to one step.
  const afterBreak = await clone('after-break-clean', brokeHome);
  report.add({ suite: 'resume', name: `${label}, network where a transfer broke: clean link, time vs plain git`, value: afterBreak.result.ms / plain.result, unit: 'x', details: { ms: afterBreak.result.ms, bytes: afterBreak.bytes, readyMs: afterBreak.result.readyMs ?? null } });
  for (const share of [0.4, 0.9]) {
    const cut = await cutClone(`after-break-cut-${share}`, share, brokeHome);
    report.add({ suite: 'resume', name: `${label}, network where a transfer broke: cut once at ${Math.round(share * 100)}%: bytes vs one pack`, value: cut.bytes / plain.bytes, unit: 'x', details: { bytes: cut.bytes, ms: cut.result.ms, wasCut: cut.wasCut } });
  }
}
