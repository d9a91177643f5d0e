/**
 * Ready to work early, against the emulated Bitbucket and real git: a big repository cloned in
 * steps is at its destination with the default branch checked out as soon as its newest commit is
 * in, while its history is still shallow; it ends as the same clone one pack gives. Cancelled
 * before that moment nothing is left; after it, a working shallow clone stays, listed as pending,
 * and is finished by a retry, by the same clone run again, or by a helper started after one died.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCloneWorld, type CloneWorld } from '../support/clone-world';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { cloneAndWait } from '../support/clone-job';
import { realisticHistory } from '../fixtures/bitbucket/repo-population';
import { describeClone, git } from '../support/git';
import { appendCommits } from '../fixtures/repogen/generate';
import type { CloneJob, ContractClient } from '../../shared/contract';

const bigBytes = 6_000_000;
const cloneSteps = { minimumBytes: 2_000_000, stepBytes: 900_000, stallSeconds: 5 };
const cloneRetry = { attemptsPerSource: 2, backoff: { baseMs: 20, maxMs: 50, jitter: 0 } };
/** Slow enough that the history takes seconds after the tip: the moment of ready can be looked at. */
const slow = { delayMs: 2, bandwidthBytesPerSec: 1_500_000 };

let world: CloneWorld;
let onePack: InProcessHelper;
let plain: Awaited<ReturnType<typeof describeClone>>;

beforeAll(async () => {
  world = await startCloneWorld(
    {
      primary: { delayMs: 5 },
      mirrors: [{ name: 'near', ...slow }],
      projects: [{ key: 'PROJ', repos: [{ slug: 'big', sizeBytes: bigBytes, seed: 21, branches: ['feature'], tags: ['v1'], ...realisticHistory() }] }],
    },
    { name: 'clone-ready', helper: () => ({ options: { cloneRetry, cloneSteps, resumeInterruptedClones: true } }) },
  );
  onePack = await startInProcessHelper({ environmentToken: world.topology.credentials.token, cloneRetry, cloneSteps: { minimumBytes: Number.MAX_SAFE_INTEGER } });
  const parent = await freshParent('plain');
  const job = await clone(onePack.client, parent);
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  plain = await describeClone(path.join(parent, 'big'));
}, 120_000);

afterAll(async () => {
  await onePack?.stop();
  await world?.stop();
});

afterEach(() => {
  world.topology.setShape('near', slow, 'http');
  for (const name of ['primary', 'near']) world.topology.setFault(name, { kind: 'none' });
});

async function freshParent(name: string): Promise<string> {
  const dir = path.join(world.workspace, name);
  await mkdir(dir);
  return dir;
}

const params = (parentDirectory: string) => ({ repository: 'PROJ/big', parentDirectory, primary: world.topology.primary.baseUrl, source: 'near' });
const clone = (client: ContractClient, parentDirectory: string) => cloneAndWait(client, params(parentDirectory));

const hasNote = async (clonePath: string) => (await readdir(path.join(clonePath, '.git'))).includes('mirror-clone-resumable.json');
const mainTip = () => git(world.topology.repo('PROJ', 'big').diskPath, 'rev-parse', 'refs/heads/main');

/** Starts a clone and calls `atReady` once, when its job says the work tree is ready; answers the finished job. */
async function cloneWatchingReady(client: ContractClient, parentDirectory: string, atReady: (job: CloneJob) => Promise<void>): Promise<{ job: CloneJob; readyJob?: CloneJob; progress: number[] }> {
  const progress: number[] = [];
  let readyJob: CloneJob | undefined;
  let looked: Promise<void> = Promise.resolve();
  const offState = client.on('clone.state', ({ job }) => {
    if (job.ready && !readyJob) {
      readyJob = job;
      looked = atReady(job);
    }
  });
  const offProgress = client.on('clone.progress', (event) => progress.push(event.progress.value));
  try {
    const job = await clone(client, parentDirectory);
    await looked;
    return { job, readyJob, progress };
  } finally {
    offState();
    offProgress();
  }
}

describe('ready to work before the clone is complete', () => {
  it('the work tree is at its destination while the history is still shallow, and the end is the one-pack clone', async () => {
    const parent = await freshParent('ready');
    const clonePath = path.join(parent, 'big');
    const seen: Record<string, unknown> = {};
    const { job, readyJob, progress } = await cloneWatchingReady(world.helper.client, parent, async (ready) => {
      seen.finished = ready.finishedAt !== undefined;
      seen.path = ready.ready!.path;
      seen.shallow = await git(clonePath, 'rev-parse', '--is-shallow-repository');
      seen.head = await git(clonePath, 'rev-parse', 'HEAD');
      seen.status = await git(clonePath, 'status', '--porcelain');
      seen.files = (await readdir(clonePath)).filter((name) => name !== '.git').length;
      seen.note = await hasNote(clonePath);
      seen.pushUrl = await git(clonePath, 'config', 'remote.origin.pushurl');
      seen.listed = (await world.helper.client.call('clones.list', {})).find((known) => known.path === clonePath);
      seen.temporaries = (await readdir(parent)).filter((name) => name !== 'big');
      // A second clone to the same folder meanwhile would fight this one for git's locks: refused.
      const second = await clone(world.helper.client, parent);
      seen.second = { state: second.state, code: second.error?.code };
    });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(readyJob).toBeDefined();
    expect(seen).toMatchObject({ finished: false, path: clonePath, shallow: 'true', head: await mainTip(), status: '', note: true, temporaries: [], second: { state: 'failed', code: 'CONFLICT' } });
    expect(seen.files).toBeGreaterThan(0);
    expect(seen.pushUrl).toBe(plain.config.find((line) => line.startsWith('remote.origin.pushurl='))!.split('=')[1]);
    expect(seen.listed).toMatchObject({ historyPending: true });
    expect(readyJob!.ready!.afterMs).toBeLessThan(job.result!.durationMs);
    // Ready came with the tip: well before the history was in.
    expect(readyJob!.progress?.value ?? 0).toBeLessThan(0.6);

    expect(await describeClone(clonePath)).toEqual(plain);
    expect(await hasNote(clonePath)).toBe(false);
    expect(await readdir(parent)).toEqual(['big']);
    expect(job.result!.reason).toContain('ready to work before');
    const listed = (await world.helper.client.call('clones.list', {})).find((known) => known.path === clonePath);
    expect(listed?.historyPending).toBeUndefined();
    // One bar, across the moment of ready: it never goes back.
    expect(progress.every((value, index) => index === 0 || value >= progress[index - 1]!)).toBe(true);
  }, 90_000);

  it('the user works in the clone meanwhile: their files are left as they are', async () => {
    const parent = await freshParent('working');
    const clonePath = path.join(parent, 'big');
    const { job } = await cloneWatchingReady(world.helper.client, parent, async () => {
      await writeFile(path.join(clonePath, 'my-notes.txt'), 'mine\n');
    });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(await readFile(path.join(clonePath, 'my-notes.txt'), 'utf8')).toBe('mine\n');
    expect(await git(clonePath, 'status', '--porcelain')).toBe('?? my-notes.txt');
    expect(await git(clonePath, 'rev-parse', '--is-shallow-repository')).toBe('false');
  }, 90_000);
});

describe('cancel', () => {
  it('before ready removes everything', async () => {
    world.topology.setShape('near', { delayMs: 2, bandwidthBytesPerSec: 150_000 }, 'http');
    const parent = await freshParent('cancel-before');
    const { jobId } = await world.helper.client.call('clone.start', params(parent));
    const done = settled(world.helper.client, jobId);
    await new Promise<void>((resolve) => {
      const off = world.helper.client.on('clone.progress', (event) => {
        if (event.jobId === jobId && (event.progress.receivedBytes ?? 0) > 100_000) {
          off();
          resolve();
        }
      });
    });
    await world.helper.client.call('clone.cancel', { jobId });
    const job = await done;
    expect(job.state).toBe('cancelled');
    expect(job.ready).toBeUndefined();
    expect(await readdir(parent)).toEqual([]);
  }, 60_000);

  it('after ready leaves a working shallow clone, listed as pending; Retry finishes it', async () => {
    const parent = await freshParent('cancel-after');
    const clonePath = path.join(parent, 'big');
    const { job } = await cloneWatchingReady(world.helper.client, parent, async (ready) => {
      await world.helper.client.call('clone.cancel', { jobId: ready.jobId });
    });
    expect(job.state).toBe('cancelled');
    expect(job.ready?.path).toBe(clonePath);
    expect(job.error?.message).toContain('shallow');
    expect(await readdir(parent)).toEqual(['big']);
    expect(await git(clonePath, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(await mainTip());
    expect(await git(clonePath, 'status', '--porcelain')).toBe('');
    expect(await git(clonePath, 'fsck', '--no-dangling')).toBe('');
    expect(await hasNote(clonePath)).toBe(true);
    expect((await world.helper.client.call('clones.list', {})).find((known) => known.path === clonePath)?.historyPending).toBe(true);
    // Never taken for a finished clone: no switch while its history is not complete.
    await expect(world.helper.client.call('clones.switch', { path: clonePath, source: 'primary' })).rejects.toMatchObject({ code: 'CONFLICT' });

    const finished = new Promise<CloneJob>((resolve) => {
      const off = world.helper.client.on('clone.state', ({ job: state }) => {
        if (state.retryOf === job.jobId && state.finishedAt) {
          off();
          resolve(state);
        }
      });
    });
    await world.helper.client.call('clone.retry', { jobId: job.jobId });
    const again = await finished;
    expect(again.state, JSON.stringify(again.error)).toBe('done');
    expect(again.ready?.path).toBe(clonePath);
    expect(again.result!.reason).toContain('continued');
    expect(await describeClone(clonePath)).toEqual(plain);
    expect(await hasNote(clonePath)).toBe(false);
    expect((await world.helper.client.call('clones.list', {})).find((known) => known.path === clonePath)?.historyPending).toBeUndefined();
  }, 90_000);
});

describe('a clone ready to work whose history stopped part-way', () => {
  it('is continued by the same clone run again to the same folder', async () => {
    const parent = await freshParent('rerun');
    const clonePath = path.join(parent, 'big');
    const { job } = await cloneWatchingReady(world.helper.client, parent, async (ready) => {
      await world.helper.client.call('clone.cancel', { jobId: ready.jobId });
    });
    expect(job.state).toBe('cancelled');
    const before = world.topology.mirrors.near!.proxy.bytesDownstream;
    const again = await clone(world.helper.client, parent);
    expect(again.state, JSON.stringify(again.error)).toBe('done');
    expect(again.result!.reason).toContain('continued');
    // Only the history crossed the link again, not the tip it had.
    expect(world.topology.mirrors.near!.proxy.bytesDownstream - before).toBeLessThan(bigBytes);
    expect(await describeClone(clonePath)).toEqual(plain);
  }, 90_000);

  it('is continued by a helper started after the one running it died', async () => {
    const parent = await freshParent('restart');
    const clonePath = path.join(parent, 'big');
    const saved = path.join(world.workspace, 'journal-at-death.json');
    const { job } = await cloneWatchingReady(world.helper.client, parent, async (ready) => {
      // What a crash leaves: the running-clones journal as it was, the clone at its destination.
      await cp(path.join(world.helper.dataDir, 'running-clones.json'), saved);
      await world.helper.client.call('clone.cancel', { jobId: ready.jobId });
    });
    expect(job.state).toBe('cancelled');
    expect(await hasNote(clonePath)).toBe(true);

    const restarted = await startInProcessHelper({ environmentToken: world.topology.credentials.token, resumeInterruptedClones: true, cloneSteps, cloneRetry }, async (dataDir) => {
      await cp(saved, path.join(dataDir, 'running-clones.json'));
    });
    try {
      let resumed: CloneJob | undefined;
      for (let tries = 0; tries < 1200 && !resumed?.finishedAt; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        resumed = (await restarted.client.call('clone.jobs', {})).find((candidate) => candidate.jobId === job.jobId);
      }
      expect(resumed?.state, JSON.stringify(resumed?.error)).toBe('done');
      expect(resumed!.resumes).toBe(1);
      expect(resumed!.result!.reason).toContain('continued');
      expect(await readdir(parent)).toEqual(['big']);
      expect(await git(clonePath, 'rev-parse', '--is-shallow-repository')).toBe('false');
      expect(await git(clonePath, 'fsck', '--no-dangling')).toBe('');
      expect(await hasNote(clonePath)).toBe(false);
    } finally {
      await restarted.stop();
      await rm(saved, { force: true });
    }
  }, 120_000);
});

// Last: the primary moves on here, so the one-pack clone above is no longer what a clone gives.
describe('a mirror behind the primary', () => {
  it('an untouched branch is fast-forwarded to the primary at the end; one with the user\'s commit is left as it is', async () => {
    world.topology.freezeMirror('near');
    try {
      const primaryRepo = world.topology.repo('PROJ', 'big').diskPath;
      // The work tree is ready from the mirror's older tip; the top-up brings the primary's.
      const newer = await appendCommits({ path: primaryRepo, count: 1, message: 'not on the mirror yet' });
      const clean = path.join(await freshParent('moved-clean'), 'big');
      let readyAt = '';
      const { job } = await cloneWatchingReady(world.helper.client, path.dirname(clean), async () => {
        readyAt = await git(clean, 'rev-parse', 'HEAD');
      });
      expect(readyAt).not.toBe(newer);
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      expect(job.result!.toppedUpFromPrimary).toContain('refs/heads/main');
      expect(await git(clean, 'rev-parse', 'HEAD')).toBe(newer);
      expect(await git(clean, 'status', '--porcelain')).toBe('');

      const worked = path.join(await freshParent('moved-worked'), 'big');
      let mine = '';
      const { job: other } = await cloneWatchingReady(world.helper.client, path.dirname(worked), async () => {
        await writeFile(path.join(worked, 'mine.txt'), 'my work\n');
        await git(worked, 'add', 'mine.txt');
        await git(worked, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '-m', 'my work');
        mine = await git(worked, 'rev-parse', 'HEAD');
      });
      expect(other.state, JSON.stringify(other.error)).toBe('done');
      expect(await git(worked, 'rev-parse', 'HEAD')).toBe(mine);
      expect(other.result!.reason).toContain('left as it is');
      expect(await git(worked, 'rev-parse', '--is-shallow-repository')).toBe('false');
    } finally {
      world.topology.setMirrorLag('near', 0);
      await world.topology.syncNow('near');
    }
  }, 120_000);
});

function settled(client: ContractClient, jobId: string): Promise<CloneJob> {
  return new Promise((resolve) => {
    const off = client.on('clone.state', ({ job }) => {
      if (job.jobId === jobId && job.finishedAt) {
        off();
        resolve(job);
      }
    });
  });
}
