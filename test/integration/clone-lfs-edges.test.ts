/**
 * The LFS phase when things are not simple: no git-lfs on the machine (pointer files, a warning,
 * and a later fetch works), a link cut during the large-file download (git-lfs resumes with a
 * range request instead of starting over), and cancel during the phase (git-lfs stopped, nothing left).
 */
import { pathWithout } from '../support/path-without';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startCloneWorld, oneNetwork, type CloneWorld } from '../support/clone-world';
import { cloneAndWait } from '../support/clone-job';
import { makeTempDir } from '../support/temp-dir';
import type { CloneJob } from '../../shared/contract';

const run = promisify(execFile);
const MB = 1024 * 1024;
let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld(
    {
      primary: { delayMs: 10 },
      mirrors: [{ name: 'near', delayMs: 1 }],
      projects: [
        {
          key: 'MEDIA',
          repos: [
            { slug: 'small', lfsBytes: 1 * MB, lfsFiles: 2 },
            { slug: 'big', lfsBytes: 8 * MB, lfsFiles: 1 },
          ],
        },
      ],
    },
    { name: 'clone-lfs-edges', helper: () => ({ options: { ...oneNetwork, cloneRetry: { attemptsPerSource: 1, backoff: { baseMs: 10, maxMs: 10, jitter: 0 } } } }) },
  );
});

afterAll(async () => {
  await world?.stop();
});

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

async function freshParent(name: string): Promise<string> {
  const parent = path.join(world.workspace, name);
  await mkdir(parent);
  return parent;
}

/**
 * Runs `action` with PATH holding everything in /usr/bin but git-lfs ('missing'), or with a
 * git-lfs that answers for its version and fails at everything else ('failing'); then puts PATH back.
 */
async function withGitLfs<T>(kind: 'missing' | 'failing', action: () => Promise<T>): Promise<T> {
  const tools = await makeTempDir(`git-lfs-${kind}`);
  const savedPath = process.env.PATH;
  try {
    const bin = await pathWithout('git-lfs', path.join(tools.path, 'bin'));
    if (kind === 'failing') {
      await writeFile(path.join(bin, 'git-lfs'), '#!/bin/sh\nif [ "$1" = version ]; then echo "git-lfs/3.3.0 (stand-in)"; exit 0; fi\necho "git-lfs: out of order" >&2\nexit 2\n');
      await chmod(path.join(bin, 'git-lfs'), 0o755);
    }
    process.env.PATH = bin;
    return await action();
  } finally {
    process.env.PATH = savedPath;
    await tools.cleanup();
  }
}

/** Processes whose working directory lies under `dir` (git, git-lfs). */
async function processesUnder(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
    if (cwd.startsWith(dir)) pids.push(Number(entry));
  }
  return pids;
}

describe('without git-lfs on the machine', () => {
  it('clones with pointer files and a warning; once git-lfs is there, one pull fetches the files', async () => {
    const { topology } = world;
    const parentDirectory = await freshParent('no-lfs');
    const job = await withGitLfs('missing', () => cloneAndWait(world.helper.client, { repository: 'MEDIA/small', primary: topology.primary.baseUrl, parentDirectory, source: 'near' }));
    expect(job.state, JSON.stringify(job.attempts)).toBe('done');
    expect(job.result!.largeFiles).toMatchObject({ state: 'pointers', warning: expect.stringContaining('git lfs pull') });
    const files = topology.lfs.files('MEDIA', 'small');
    const clone = job.result!.path;
    for (const file of files) expect(await readFile(path.join(clone, file.path), 'utf8')).toContain(`oid sha256:${file.oid}`);
    expect(topology.lfs.log.some((entry) => entry.repository === 'media/small.git')).toBe(false);

    // Later, with git-lfs installed: what the warning says to run (the token stands in for the keychain here).
    const env = { ...process.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${topology.mirrors.near!.baseUrl}/.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: Bearer ${topology.credentials.token}` };
    await run('git', ['lfs', 'install', '--local'], { cwd: clone, env });
    await run('git', ['lfs', 'pull'], { cwd: clone, env });
    for (const file of files) expect(await sha256(path.join(clone, file.path))).toBe(file.oid);
    expect((await run('git', ['status', '--porcelain'], { cwd: clone, env })).stdout).toBe('');
  });
});

describe('a git-lfs that fails', () => {
  it('leaves the clone standing with pointer files, and says why and what to run', async () => {
    const { topology } = world;
    const parentDirectory = await freshParent('broken-lfs');
    const job = await withGitLfs('failing', () => cloneAndWait(world.helper.client, { repository: 'MEDIA/small', primary: topology.primary.baseUrl, parentDirectory, source: 'near' }));
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.largeFiles).toMatchObject({ state: 'incomplete', warning: expect.stringContaining('could not be fetched') });
    for (const file of topology.lfs.files('MEDIA', 'small')) expect(await readFile(path.join(job.result!.path, file.path), 'utf8')).toContain(`oid sha256:${file.oid}`);
  });
});

describe('a switch whose large files cannot come', () => {
  it('says so in its result, as a clone does, instead of leaving pointer files without a word', async () => {
    const { topology } = world;
    const job = await cloneAndWait(world.helper.client, { repository: 'MEDIA/small', primary: topology.primary.baseUrl, parentDirectory: await freshParent('switch-broken-lfs'), source: 'near' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const switched = await withGitLfs('failing', () => world.helper.client.call('clones.switch', { path: job.result!.path, source: 'primary' }));
    expect(switched.changed).toBe(true);
    expect(switched.largeFiles).toMatchObject({ state: 'incomplete', warning: expect.stringContaining('could not be fetched') });
  });
});

describe('the LFS download over a broken link', () => {
  it('resumes where the cut left it instead of starting over', async () => {
    const { topology } = world;
    const [file] = topology.lfs.files('MEDIA', 'big');
    topology.setShape('near', { delayMs: 1, bandwidthBytesPerSec: 4 * MB }, 'http');
    topology.lfs.clearLog();
    let cut = false;
    const off = world.helper.client.on('clone.progress', ({ progress }) => {
      if (cut || progress.phase !== 'large-files' || (progress.receivedBytes ?? 0) < 2 * MB) return;
      cut = true;
      // Every open connection to the mirror ends now; new ones go through.
      topology.setFault('near', { kind: 'cut-after-bytes', bytes: 0 }, 'http');
      topology.setFault('near', { kind: 'none' }, 'http');
    });
    try {
      const job = await cloneAndWait(world.helper.client, { repository: 'MEDIA/big', primary: topology.primary.baseUrl, parentDirectory: await freshParent('cut'), source: 'near' });
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      expect(cut).toBe(true);
      expect(await sha256(path.join(job.result!.path, file!.path))).toBe(file!.oid);
      const downloads = topology.lfs.log.filter((entry) => entry.operation === 'download');
      expect(downloads.map((entry) => [entry.instance, entry.status])).toContainEqual(['near', 206]);
      expect(job.result!.largeFiles?.servedBy).toEqual([{ name: 'near', files: 1 }]);
    } finally {
      off();
      topology.setShape('near', { delayMs: 1 }, 'http');
    }
  }, 60_000);
});

describe('cancel during the LFS phase', () => {
  it('stops git-lfs and leaves nothing behind', async () => {
    const { topology } = world;
    topology.setShape('near', { delayMs: 1, bandwidthBytesPerSec: 1 * MB }, 'http');
    const parent = await freshParent('cancel');
    try {
      let jobId = '';
      const inPhase = new Promise<void>((resolve) => {
        const off = world.helper.client.on('clone.progress', ({ jobId: id, progress }) => {
          if (id === jobId && progress.phase === 'large-files' && (progress.receivedBytes ?? 0) > 0) {
            off();
            resolve();
          }
        });
      });
      ({ jobId } = await world.helper.client.call('clone.start', { repository: 'MEDIA/big', primary: topology.primary.baseUrl, parentDirectory: parent, source: 'near', folderName: 'cancelled' }));
      await inPhase;
      await world.helper.client.call('clone.cancel', { jobId });
      const job = await waitForJob(jobId);
      expect(job.state).toBe('cancelled');
      expect(await readdir(parent)).toEqual([]);
      expect(await processesUnder(parent)).toEqual([]);
    } finally {
      topology.setShape('near', { delayMs: 1 }, 'http');
    }
  }, 60_000);
});

async function waitForJob(jobId: string): Promise<CloneJob> {
  for (;;) {
    const job = (await world.helper.client.call('clone.jobs', {})).find((candidate) => candidate.jobId === jobId);
    if (job?.finishedAt) return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
