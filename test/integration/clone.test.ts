/**
 * Cloning through the helper against the emulated Bitbucket: from the chosen mirror, with the
 * push URL on the primary, topped up from the primary when the mirror lags, falling back when a
 * mirror dies mid-transfer, and leaving nothing behind when cancelled.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCloneWorld, type CloneWorld } from '../support/clone-world';
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { appendCommits } from '../fixtures/repogen/generate';
import { git, gitConfig } from '../support/git';
import type { CloneJob } from '../../shared/contract';
import { cloneAndWait as cloneJob } from '../support/clone-job';

let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld({
    primary: { delayMs: 20 },
    mirrors: [
      { name: 'near', delayMs: 1 },
      { name: 'mid', delayMs: 5 },
      { name: 'lagging', delayMs: 8, frozen: true },
      { name: 'slow', delayMs: 12, bandwidthBytesPerSec: 1_500_000 },
    ],
    projects: [{ key: 'PROJ', repos: [{ slug: 'repo', sizeBytes: 300_000 }, { slug: 'big', sizeBytes: 6_000_000, seed: 7 }] }],
  }, { name: 'clone-workspace', helper: () => ({ options: { cloneRetry: { attemptsPerSource: 2, backoff: { baseMs: 20, maxMs: 50, jitter: 0 } } } }) });
});

afterAll(() => world?.stop());

afterEach(() => {
  for (const name of ['primary', ...Object.keys(world.topology.mirrors)]) world.topology.setFault(name, { kind: 'none' });
});

const cloneAndWait = (params: { repository: string; parentDirectory: string; source?: string; folderName?: string }) =>
  cloneJob(world.helper.client, { ...params, primary: world.topology.primary.baseUrl });

async function freshParent(name: string): Promise<string> {
  const dir = path.join(world.workspace, name);
  await mkdir(dir);
  return dir;
}

describe('cloning from the closest mirror', () => {
  it('clones from the chosen mirror, pushes to the primary, and records where it came from', async () => {
    const parent = await freshParent('basic');
    const job = await cloneAndWait({ repository: 'PROJ/repo', parentDirectory: parent });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const repo = world.topology.repo('PROJ', 'repo');
    const clonePath = path.join(parent, 'repo');
    expect(job.result).toMatchObject({ path: clonePath, source: { name: 'near', kind: 'mirror' }, engine: 'native', fetchUrl: repo.mirrorHttpUrl('near'), pushUrl: repo.httpUrl });

    expect(await gitConfig(clonePath, 'remote.origin.url')).toBe(repo.mirrorHttpUrl('near'));
    expect(await gitConfig(clonePath, 'remote.origin.pushurl')).toBe(repo.httpUrl);
    expect(await gitConfig(clonePath, 'mirrorclone.primary')).toBe(world.topology.primary.baseUrl);
    expect(await gitConfig(clonePath, 'mirrorclone.sourceName')).toBe('near');
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(await git(repo.diskPath, 'rev-parse', 'refs/heads/main'));

    const config = await readFile(path.join(clonePath, '.git', 'config'), 'utf8');
    expect(config).not.toContain(world.topology.credentials.token);
    expect(await readdir(parent)).toEqual(['repo']);
    expect((await world.helper.client.call('clones.list', {})).map((clone) => clone.path)).toContain(clonePath);
    // The job remembers what it was started with, so a UI can offer Retry after a reload.
    const listed = (await world.helper.client.call('clone.jobs', {})).find((candidate) => candidate.jobId === job.jobId);
    expect(listed?.params).toMatchObject({ repository: 'PROJ/repo', parentDirectory: parent, protocol: 'http', source: 'auto' });
    // The primary is not connected: its release was asked first (8.19.1 takes a token on the sizes
    // page), so the job promises the primary's estimate of the size.
    expect(job.expectedBytes).toBeGreaterThan(200_000);
    expect(job.progress?.receivedBytes).toBeGreaterThan(0);
  });

  it('tops up from the primary whatever a lagging mirror lacks', async () => {
    const repo = world.topology.repo('PROJ', 'repo');
    const newHead = await appendCommits({ path: repo.diskPath, count: 2, message: 'not on the lagging mirror yet' });
    const parent = await freshParent('lagging');
    const job = await cloneAndWait({ repository: 'PROJ/repo', parentDirectory: parent, source: 'lagging' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.source.name).toBe('lagging');
    expect(job.result!.toppedUpFromPrimary).toContain('refs/heads/main');
    const clonePath = path.join(parent, 'repo');
    expect(await git(clonePath, 'rev-parse', 'refs/remotes/origin/main')).toBe(newHead);
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(newHead);
    await Promise.all(Object.keys(world.topology.mirrors).map((name) => world.topology.syncNow(name)));
  });

  it('survives a mirror that is cut at 30% of the transfer: the next source serves', async () => {
    world.topology.setFault('near', { kind: 'cut-after-bytes', bytes: 1_800_000 }, 'http');
    const parent = await freshParent('cut');
    const job = await cloneAndWait({ repository: 'PROJ/big', parentDirectory: parent });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.source.name).not.toBe('near');
    const failed = job.attempts.filter((attempt) => !attempt.ok);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((attempt) => attempt.source.name === 'near')).toBe(true);
    const clonePath = path.join(parent, 'big');
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(await git(world.topology.repo('PROJ', 'big').diskPath, 'rev-parse', 'refs/heads/main'));
    expect(await git(clonePath, 'fsck', '--no-dangling')).toBe('');
    expect(await readdir(parent)).toEqual(['big']);
  });

  it('never leaves anything at the destination when cancelled, whenever that happens', async () => {
    const parent = await freshParent('cancel');
    for (let run = 0; run < 20; run += 1) {
      const { jobId } = await world.helper.client.call('clone.start', { repository: 'PROJ/big', parentDirectory: parent, primary: world.topology.primary.baseUrl, source: 'slow', folderName: `run-${run}` });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_500));
      await world.helper.client.call('clone.cancel', { jobId });
      const job = await waitForJob(jobId);
      expect(['cancelled', 'done']).toContain(job.state);
      const left = await readdir(parent);
      if (job.state === 'cancelled') expect(left.filter((entry) => entry.includes(`run-${run}`))).toEqual([]);
    }
    const remaining = await readdir(parent);
    expect(remaining.every((entry) => !entry.startsWith('.'))).toBe(true);
  }, 120_000);
});

async function waitForJob(jobId: string): Promise<CloneJob> {
  for (;;) {
    const job = (await world.helper.client.call('clone.jobs', {})).find((candidate) => candidate.jobId === jobId);
    if (job?.finishedAt) return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('destinations', () => {
  it('refuses a destination that exists and is not empty, and leaves it alone', async () => {
    const parent = await freshParent('occupied');
    await mkdir(path.join(parent, 'repo'));
    await writeFile(path.join(parent, 'repo', 'mine.txt'), 'precious');
    const job = await cloneAndWait({ repository: 'PROJ/repo', parentDirectory: parent });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'CONFLICT' });
    expect(await readdir(path.join(parent, 'repo'))).toEqual(['mine.txt']);
  });

  it('keeps a hostile folder name inside the chosen parent', async () => {
    const parent = await freshParent('hostile');
    const job = await cloneAndWait({ repository: 'PROJ/repo', parentDirectory: parent, folderName: '../../escaped' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.path).toBe(path.join(parent, 'escaped'));
    expect(await readdir(path.dirname(parent))).not.toContain('escaped');
  });

  it('refuses a relative parent folder', async () => {
    const job = await cloneAndWait({ repository: 'PROJ/repo', parentDirectory: 'relative/place' });
    expect(job).toMatchObject({ state: 'failed', error: { code: 'INVALID_PARAMS' } });
  });
});
