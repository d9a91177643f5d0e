/**
 * A clone's head start against the emulator: the second clone from a known primary starts its
 * transfer from the server chosen there last time before the far primary has answered, and
 * corrects course, leaving nothing behind, when that server turns out not to hold the repository.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneNetwork, startCloneWorld, type CloneWorld } from '../support/clone-world';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { watch } from 'node:fs';
import path from 'node:path';
import { git } from '../support/git';
import { cloneAndWait } from '../support/clone-job';
import { writeResumeMarker } from '../../electron/helper/clone/steps/resume-marker';

let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld({
    primary: { delayMs: 100 },
    mirrors: [
      { name: 'near', delayMs: 1 },
      { name: 'mid', delayMs: 6 },
    ],
    projects: [
      {
        key: 'PROJ',
        repos: [
          { slug: 'first', seed: 1, mirroredOn: ['near', 'mid'] },
          { slug: 'second', seed: 2, mirroredOn: ['near', 'mid'] },
          { slug: 'elsewhere', seed: 3, mirroredOn: ['mid'] },
          { slug: 'third', seed: 4, mirroredOn: ['near', 'mid'] },
        ],
      },
    ],
  }, { name: 'head-start', helper: () => ({ options: oneNetwork }) });
}, 120_000);

afterAll(() => world?.stop());

const clone = (slug: string) => cloneAndWait(world.helper.client, { repository: `PROJ/${slug}`, primary: world.topology.primary.baseUrl, parentDirectory: world.workspace });
/** Where in the request log a request first appears (-1: never). */
const firstIndex = (match: (entry: (typeof world.topology.state.requestLog)[number]) => boolean) => world.topology.state.requestLog.findIndex(match);

describe('a head start from the server chosen here last time', () => {
  it('starts the transfer before the far primary has answered, and keeps it when discovery agrees', async () => {
    const first = await clone('first');
    expect(first.result?.source.name).toBe('near');
    expect(first.result?.reason).not.toContain('before the primary answered');

    world.topology.state.requestLog.length = 0;
    const second = await clone('second');
    expect(second.state, JSON.stringify(second.error)).toBe('done');
    expect(second.result).toMatchObject({ source: { name: 'near' }, reason: expect.stringContaining('started from near before the primary answered') });
    // near was asked for the pack before the primary was asked about the repository.
    const gitAtNear = firstIndex((entry) => entry.instance === 'near' && entry.path.includes('/second.git/'));
    const askedPrimary = firstIndex((entry) => entry.instance === 'primary' && entry.path.includes('/repos/second'));
    expect(gitAtNear).toBeGreaterThanOrEqual(0);
    expect(askedPrimary).toBeGreaterThan(gitAtNear);
    const clonePath = path.join(world.workspace, 'second');
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(await git(world.topology.repo('PROJ', 'second').diskPath, 'rev-parse', 'refs/heads/main'));
    expect(await git(clonePath, 'config', 'remote.origin.pushurl')).toBe(world.topology.repo('PROJ', 'second').httpUrl);
  });

  it('corrects course when that server does not hold the repository: the clone comes from another, and nothing is left behind', async () => {
    const job = await clone('elsewhere');
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result?.source.name).toBe('mid');
    expect(job.result?.reason).toContain('a head start from near was stopped when the primary answered');
    expect(job.result?.fetchUrl).toBe(world.topology.repo('PROJ', 'elsewhere').mirrorHttpUrl('mid'));
    expect(await git(path.join(world.workspace, 'elsewhere'), 'fsck', '--no-dangling')).toBe('');
    // Only finished clones in the workspace: no temporary folder of the stopped head start.
    expect((await readdir(world.workspace)).sort()).toEqual(['elsewhere', 'first', 'second']);
  });

  it('does not start beside a clone that stopped part-way where this one would go', async () => {
    // A part-way clone of another repository waits for the folder "third": the clone is refused
    // once discovery has answered, and nothing was fetched for it before then.
    const partial = path.join(world.workspace, '.third.mirror-clone-0a1b2c3d');
    await mkdir(path.join(partial, '.git'), { recursive: true });
    const other = { primaryBaseUrl: world.topology.primary.baseUrl, projectKey: 'PROJ', slug: 'other' };
    await writeResumeMarker(partial, { repository: other, destination: path.join(world.workspace, 'third'), receivedBytes: 1, expectedBytes: 10, stepsDone: 1, complete: false });
    // A head start would plan a temporary folder of its own beside it.
    const made: string[] = [];
    const watcher = watch(world.workspace, (_event, name) => {
      if (name && name !== path.basename(partial) && name.startsWith('.third.')) made.push(name);
    });
    try {
      const job = await clone('third');
      expect(job.state).toBe('failed');
      expect(job.error?.message).toContain('a clone of PROJ/other stopped part-way');
      expect(made).toEqual([]);
    } finally {
      watcher.close();
      await rm(partial, { recursive: true, force: true });
    }
  });
});
