/**
 * A helper that dies in the middle of a stepped clone: the next helper finds the clone in the
 * running-clones journal, keeps its resumable temporary folder, and continues from the steps it
 * holds rather than from zero: the whole objects of the pack it was receiving are kept. The moment
 * of death is taken as a crash leaves it: the journal and the folder copied while git is still
 * writing its pack, before the first helper is stopped
 * (a stop, unlike a crash, cancels and cleans up), with the locks a killed git leaves. By then
 * the clone is ready to work at its destination (it was moved there after its first step), and
 * the locks there are the ones its fetch took.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCloneWorld, type CloneWorld } from '../support/clone-world';
import { startInProcessHelper } from '../support/in-process-helper';
import { realisticHistory } from '../fixtures/bitbucket/repo-population';
import { readResumeMarker } from '../../electron/helper/clone/steps/resume-marker';
import { git } from '../support/git';
import type { CloneJob } from '../../shared/contract';

const packBytes = 6_000_000;
const cloneSteps = { minimumBytes: 1_000_000, stepBytes: 700_000 };
let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld(
    { primary: { delayMs: 5 }, mirrors: [{ name: 'near', delayMs: 2, bandwidthBytesPerSec: 1_500_000 }], projects: [{ key: 'PROJ', repos: [{ slug: 'big', sizeBytes: packBytes, seed: 9, ...realisticHistory() }] }] },
    { name: 'clone-steps-restart', helper: () => ({ options: { resumeInterruptedClones: true, cloneSteps } }) },
  );
});

afterAll(() => world?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('a helper restarted after dying mid-clone continues the clone from its steps', async () => {
  const parent = path.join(world.workspace, 'restart');
  await mkdir(parent);
  const saved = path.join(world.workspace, 'at-death');
  const { jobId } = await world.helper.client.call('clone.start', { repository: 'PROJ/big', parentDirectory: parent, primary: world.topology.primary.baseUrl, source: 'near' });

  // Wait until the history is arriving (its pack part-way on disk), then take the state a crash would leave.
  const clonePath = path.join(parent, 'big');
  let arriving = 0;
  for (let tries = 0; tries < 600 && arriving < packBytes * 0.4; tries += 1) {
    await sleep(25);
    arriving = (await readResumeMarker(clonePath))?.stepsDone ? await partialPackBytes(clonePath) : 0;
  }
  expect(arriving).toBeGreaterThanOrEqual(packBytes * 0.4);
  await cp(clonePath, path.join(saved, 'folder'), { recursive: true });
  await cp(path.join(world.helper.dataDir, 'running-clones.json'), path.join(saved, 'running-clones.json'));
  const receivedAtDeath = (await readResumeMarker(path.join(saved, 'folder')))!.receivedBytes + (await partialPackBytes(path.join(saved, 'folder')));
  expect(receivedAtDeath).toBeGreaterThan(packBytes * 0.4);
  // A git killed mid-fetch leaves its locks behind, and a git that finds them refuses to work.
  for (const lock of ['shallow.lock', 'packed-refs.lock']) await writeFile(path.join(saved, 'folder', '.git', lock), '');

  // Cancelled after it was ready, the clone stays; it is put back as the crash left it.
  await world.helper.client.call('clone.cancel', { jobId });
  await waitUntilSettled(jobId);
  await rm(clonePath, { recursive: true, force: true });
  await cp(path.join(saved, 'folder'), clonePath, { recursive: true });

  const before = world.topology.mirrors.near!.proxy.bytesDownstream + world.topology.primary.proxy.bytesDownstream;
  const restarted = await startInProcessHelper({ environmentToken: world.topology.credentials.token, resumeInterruptedClones: true, cloneSteps }, async (dataDir) => {
    await cp(path.join(saved, 'running-clones.json'), path.join(dataDir, 'running-clones.json'));
  });
  try {
    let job: CloneJob | undefined;
    for (let tries = 0; tries < 1200 && !job?.finishedAt; tries += 1) {
      await sleep(50);
      job = (await restarted.client.call('clone.jobs', {})).find((candidate) => candidate.jobId === jobId);
    }
    expect(job?.state, JSON.stringify(job?.error)).toBe('done');
    expect(job!.resumes).toBe(1);
    expect(job!.result!.reason).toContain('continued');
    const received = world.topology.mirrors.near!.proxy.bytesDownstream + world.topology.primary.proxy.bytesDownstream - before;
    // Only what the folder lacked crossed the link again: the part-way pack's whole objects were kept.
    expect(received).toBeLessThan(packBytes - receivedAtDeath + packBytes * 0.1);
    expect(await readdir(parent)).toEqual(['big']);
    expect(await git(clonePath, 'rev-parse', '--is-shallow-repository')).toBe('false');
    expect(await git(clonePath, 'fsck', '--no-dangling')).toBe('');
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(await git(world.topology.repo('PROJ', 'big').diskPath, 'rev-parse', 'refs/heads/main'));
  } finally {
    await restarted.stop();
    await rm(saved, { recursive: true, force: true });
  }
}, 120_000);

/** The bytes of the pack a fetch in `clone` is receiving now (git's `tmp_pack_*`), 0 when none. */
async function partialPackBytes(clone: string): Promise<number> {
  const folder = path.join(clone, '.git', 'objects', 'pack');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.startsWith('tmp_pack_'));
  const sizes = await Promise.all(names.map((name) => stat(path.join(folder, name)).then((found) => found.size, () => 0)));
  return sizes.reduce((sum, size) => sum + size, 0);
}

async function waitUntilSettled(jobId: string): Promise<void> {
  for (let tries = 0; tries < 400; tries += 1) {
    const job = (await world.helper.client.call('clone.jobs', {})).find((candidate) => candidate.jobId === jobId);
    if (job?.finishedAt) return;
    await sleep(25);
  }
}
