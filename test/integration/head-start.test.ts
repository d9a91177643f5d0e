/**
 * A clone's head start against the emulator: the second clone from a known primary starts its
 * transfer from the server chosen there last time before the far primary has answered, and
 * corrects course, leaving nothing behind, when that server turns out not to hold the repository.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { git } from '../support/git';
import { cloneAndWait } from '../support/clone-job';

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({
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
          ],
        },
      ],
    }),
    makeTempDir('head-start'),
  ]);
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, networkIdentity: async () => ({ id: 'office', prefixCount: 1 }) });
}, 120_000);

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

const clone = (slug: string) => cloneAndWait(helper.client, { repository: `PROJ/${slug}`, primary: topology.primary.baseUrl, parentDirectory: workspace.path });
/** Where in the request log a request first appears (-1: never). */
const firstIndex = (match: (entry: (typeof topology.state.requestLog)[number]) => boolean) => topology.state.requestLog.findIndex(match);

describe('a head start from the server chosen here last time', () => {
  it('starts the transfer before the far primary has answered, and keeps it when discovery agrees', async () => {
    const first = await clone('first');
    expect(first.result?.source.name).toBe('near');
    expect(first.result?.reason).not.toContain('before the primary answered');

    topology.state.requestLog.length = 0;
    const second = await clone('second');
    expect(second.state, JSON.stringify(second.error)).toBe('done');
    expect(second.result).toMatchObject({ source: { name: 'near' }, reason: expect.stringContaining('started from near before the primary answered') });
    // near was asked for the pack before the primary was asked about the repository.
    const gitAtNear = firstIndex((entry) => entry.instance === 'near' && entry.path.includes('/second.git/'));
    const askedPrimary = firstIndex((entry) => entry.instance === 'primary' && entry.path.includes('/repos/second'));
    expect(gitAtNear).toBeGreaterThanOrEqual(0);
    expect(askedPrimary).toBeGreaterThan(gitAtNear);
    const clonePath = path.join(workspace.path, 'second');
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(await git(topology.repo('PROJ', 'second').diskPath, 'rev-parse', 'refs/heads/main'));
    expect(await git(clonePath, 'config', 'remote.origin.pushurl')).toBe(topology.repo('PROJ', 'second').httpUrl);
  });

  it('corrects course when that server does not hold the repository: the clone comes from another, and nothing is left behind', async () => {
    const job = await clone('elsewhere');
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result?.source.name).toBe('mid');
    expect(job.result?.reason).toContain('a head start from near was stopped when the primary answered');
    expect(job.result?.fetchUrl).toBe(topology.repo('PROJ', 'elsewhere').mirrorHttpUrl('mid'));
    expect(await git(path.join(workspace.path, 'elsewhere'), 'fsck', '--no-dangling')).toBe('');
    // Only finished clones in the workspace: no temporary folder of the stopped head start.
    expect((await readdir(workspace.path)).sort()).toEqual(['elsewhere', 'first', 'second']);
  });
});
