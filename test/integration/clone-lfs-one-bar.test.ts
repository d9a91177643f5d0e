/**
 * The clone's one bar through a whole clone of a repository with Git LFS files (git's phases,
 * then the large files), as the card and the command line get it from clone.progress and
 * clone.state: it never goes back, the large files do not start it again at 0, the job is not
 * "finishing" while they come, and their phase carries their exact size and a time left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startCloneWorld, oneNetwork, type CloneWorld } from '../support/clone-world';
import { cloneAndWait } from '../support/clone-job';
import { PROVISIONAL_GIT_SHARE } from '../../electron/helper/lfs/one-bar';
import type { CloneJob, GitProgressData } from '../../shared/contract';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const MB = 1024 * 1024;
let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld(
    {
      primary: { delayMs: 10 },
      // Capped so git's phases and the large files each report many times.
      mirrors: [{ name: 'near', delayMs: 1, bandwidthBytesPerSec: 3 * MB }],
      projects: [{ key: 'MEDIA', repos: [{ slug: 'assets', sizeBytes: 1 * MB, lfsBytes: 6 * MB, lfsFiles: 3 }, { slug: 'plain', sizeBytes: 1 * MB }] }],
    },
    { name: 'clone-lfs-one-bar', helper: () => ({ options: oneNetwork }) },
  );
});

afterAll(async () => {
  await world?.stop();
});

type Seen = { kind: 'progress'; progress: GitProgressData } | { kind: 'state'; state: CloneJob['state'] };

async function watchClone(slug: string): Promise<{ job: CloneJob; seen: Seen[] }> {
  const seen: Seen[] = [];
  const offProgress = world.helper.client.on('clone.progress', ({ progress }) => seen.push({ kind: 'progress', progress }));
  const offState = world.helper.client.on('clone.state', ({ job }) => {
    const last = seen.findLast((entry) => entry.kind === 'state');
    if (last?.kind !== 'state' || last.state !== job.state) seen.push({ kind: 'state', state: job.state });
  });
  const parent = path.join(world.workspace, `bar-${slug}`);
  await mkdir(parent);
  try {
    const job = await cloneAndWait(world.helper.client, { repository: `MEDIA/${slug}`, primary: world.topology.primary.baseUrl, parentDirectory: parent, source: 'near' });
    return { job, seen };
  } finally {
    offProgress();
    offState();
  }
}

describe('the one bar of a clone with large files', () => {
  it('moves forward only, from git into the large files, without "finishing" while they come', async () => {
    const { job, seen } = await watchClone('assets');
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const values = seen.flatMap((entry) => (entry.kind === 'progress' ? [entry.progress.value] : []));
    for (let i = 1; i < values.length; i += 1) expect(values[i], `report ${i} of ${values.length}: ${values.slice(Math.max(0, i - 3), i + 2).join(', ')}`).toBeGreaterThanOrEqual(values[i - 1]!);

    const firstLarge = seen.findIndex((entry) => entry.kind === 'progress' && entry.progress.phase === 'large-files');
    expect(firstLarge).toBeGreaterThan(0);
    const gitValues = seen.slice(0, firstLarge).flatMap((entry) => (entry.kind === 'progress' ? [entry.progress.value] : []));
    const largeValues = seen.slice(firstLarge).flatMap((entry) => (entry.kind === 'progress' && entry.progress.phase === 'large-files' ? [entry.progress] : []));
    // git had a part of the bar, not all of it: discovery said the repository uses LFS.
    expect(Math.max(...gitValues)).toBeLessThanOrEqual(PROVISIONAL_GIT_SHARE + 1e-9);
    expect(Math.max(...gitValues)).toBeGreaterThan(0.1);
    // The large files go on from there to (nearly) the end, with their exact size.
    expect(largeValues[0]!.value).toBeGreaterThanOrEqual(Math.max(...gitValues));
    expect(largeValues.at(-1)!.value).toBeGreaterThan(0.9);
    expect(largeValues.every((progress) => progress.expectedBytes === 6 * MB)).toBe(true);
    expect(largeValues.some((progress) => progress.etaSeconds !== undefined || progress.bytesPerSecond !== undefined)).toBe(true);

    // From the first large-file report to the end the card says "cloning", never "finishing".
    const statesAfter = seen.slice(firstLarge).flatMap((entry) => (entry.kind === 'state' ? [entry.state] : []));
    expect(statesAfter).toEqual(['done']);
    const stateAtFirst = seen.slice(0, firstLarge).findLast((entry) => entry.kind === 'state');
    expect(stateAtFirst).toEqual({ kind: 'state', state: 'cloning' });
  });

  it('a repository without LFS keeps the whole bar for git', async () => {
    const { job, seen } = await watchClone('plain');
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const values = seen.flatMap((entry) => (entry.kind === 'progress' ? [entry.progress.value] : []));
    expect(Math.max(...values)).toBeGreaterThan(0.9);
    expect(seen.some((entry) => entry.kind === 'progress' && entry.progress.phase === 'large-files')).toBe(false);
  });
});

/** Single-quoted for sh: the words of a command that `script` runs. */
const quoted = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

describe('the command line bar', () => {
  it('on a terminal: forward only through the whole clone, and no "Done" before the large files', async () => {
    const target = path.join(world.workspace, 'cli-bar', 'assets');
    await mkdir(path.dirname(target), { recursive: true });
    const command = [process.execPath, '--import', 'tsx', path.join(repoRoot, 'electron/cli/main.ts'), 'clone', 'MEDIA/assets', target, '--mirror', 'near'].map(quoted).join(' ');
    // `script` gives the command a terminal, where the bar is drawn (with \r) as a person sees it.
    const { stdout } = await run('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: repoRoot,
      env: { ...process.env, MIRROR_CLONE_HOME: path.join(world.workspace, 'cli-bar', 'home'), MIRROR_CLONE_TOKEN: world.topology.credentials.token, MIRROR_CLONE_PRIMARY: world.topology.primary.baseUrl },
      timeout: 120_000,
      maxBuffer: 1 << 24,
    });
    // eslint-disable-next-line no-control-regex
    const frames = stdout.split('\r').map((frame) => frame.replace(/\u001b\[K/g, '').trim()).filter((frame) => /^\S.*\s\d+%/.test(frame));
    const bars = frames.map((frame) => ({ phase: frame.split(/\s{2,}/)[0]!, percent: Number(/(\d+)%/.exec(frame)![1]) }));
    expect(bars.some((bar) => bar.phase === 'Large files')).toBe(true);
    for (let i = 1; i < bars.length; i += 1) expect(bars[i]!.percent, frames.slice(Math.max(0, i - 2), i + 1).join(' | ')).toBeGreaterThanOrEqual(bars[i - 1]!.percent);
    const firstLarge = bars.findIndex((bar) => bar.phase === 'Large files');
    expect(bars.slice(0, firstLarge).map((bar) => bar.phase)).not.toContain('Done');
    expect(bars.slice(firstLarge).every((bar) => bar.phase === 'Large files')).toBe(true);
    // Their rate beside the bar.
    expect(frames.slice(firstLarge).some((frame) => /B\/s {2}/.test(frame))).toBe(true);
    expect(stdout).toContain(`Cloned into ${target}`);
  });
});

