/**
 * A clone whose source the user named, against the emulator: before git starts, it asks Bitbucket
 * its questions and lists the named mirror's refs against the primary's, but measures no round
 * trips and makes no throughput measurement transfer; a lagging named mirror is still topped up
 * from the primary. A clone left to choose ('auto') still measures every candidate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startCloneWorld, oneNetwork, type CloneWorld } from '../support/clone-world';
import { cloneAndWait } from '../support/clone-job';
import { appendCommits } from '../fixtures/repogen/generate';
import { git } from '../support/git';
import type { LoggedRequest } from '../fixtures/bitbucket/state';

let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld(
    {
      primary: { delayMs: 40 },
      mirrors: [
        { name: 'near', delayMs: 2 },
        { name: 'far', delayMs: 40 },
        { name: 'lagging', delayMs: 10, frozen: true },
      ],
      // Big enough that a clone left to choose measures throughput (over 8 MB) but goes in one pack.
      projects: [{ key: 'PROJ', repos: [{ slug: 'app', sizeBytes: 10_000_000, commits: 10, seed: 'named' }] }],
    },
    { name: 'clone-named', helper: () => ({ options: { ...oneNetwork } }) },
  );
}, 180_000);

afterAll(() => world?.stop());

const uploadPack = (request: LoggedRequest) => request.method === 'POST' && request.path.endsWith('/git-upload-pack');

/**
 * The requests of one clone before git itself began: git opens with a GET of info/refs, which
 * nothing in discovery sends (the ref listings go as one POST each, the measurement transfer too).
 */
async function cloneLoggingDiscovery(folder: string, source?: string) {
  const parent = path.join(world.workspace, folder);
  await mkdir(parent);
  const from = world.topology.state.requestLog.length;
  const job = await cloneAndWait(world.helper.client, { repository: 'PROJ/app', primary: world.topology.primary.baseUrl, parentDirectory: parent, ...(source ? { source } : {}) });
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  const log = world.topology.state.requestLog.slice(from);
  const gitStarted = log.findIndex((request) => request.path.endsWith('/info/refs') && request.query.includes('service=git-upload-pack'));
  expect(gitStarted).toBeGreaterThan(0);
  return { job, clonePath: path.join(parent, 'app'), beforeGit: log.slice(0, gitStarted), gitServer: log[gitStarted]!.instance };
}

describe('a clone from a source the user named', () => {
  it('starts git after asking no server for round trips and making no measurement transfer', async () => {
    const { job, beforeGit, gitServer } = await cloneLoggingDiscovery('named', 'far');
    expect(job.result!.source.name).toBe('far');
    expect(gitServer).toBe('far');
    expect(beforeGit.filter((request) => request.path === '/status')).toEqual([]);
    // The named mirror: its refs listed once, against the primary's; the others: asked nothing of git.
    expect(beforeGit.filter((request) => request.instance === 'far' && uploadPack(request))).toHaveLength(1);
    expect(beforeGit.filter((request) => (request.instance === 'near' || request.instance === 'lagging') && uploadPack(request))).toEqual([]);
    expect(beforeGit.filter((request) => request.instance === 'primary' && uploadPack(request))).toHaveLength(1);
    // Bitbucket is still asked everything: the repository, its mirrors, its size, its .gitattributes.
    const asked = beforeGit.filter((request) => request.instance === 'primary').map((request) => request.path);
    expect(asked).toEqual(expect.arrayContaining(['/rest/api/1.0/projects/PROJ/repos/app', '/rest/mirroring/1.0/repos/1/mirrors', '/projects/PROJ/repos/app/sizes']));
  }, 60_000);

  it('still tops up from the primary whatever the named mirror lacks', async () => {
    const repo = world.topology.repo('PROJ', 'app');
    const newHead = await appendCommits({ path: repo.diskPath, count: 2, message: 'not on the lagging mirror yet' });
    const { job, clonePath, beforeGit } = await cloneLoggingDiscovery('lagging', 'lagging');
    expect(job.result!.source.name).toBe('lagging');
    expect(job.result!.toppedUpFromPrimary).toContain('refs/heads/main');
    expect(job.result!.reason).toContain('it is behind; the rest comes from the primary');
    expect(beforeGit.filter((request) => request.path === '/status')).toEqual([]);
    expect(await git(clonePath, 'rev-parse', 'refs/remotes/origin/main')).toBe(newHead);
    expect(await git(clonePath, 'rev-parse', 'HEAD')).toBe(newHead);
  }, 60_000);

  it('refuses at once a named mirror that cannot be reached, measuring nothing', async () => {
    world.topology.setFault('near', { kind: 'refuse' }, 'http');
    try {
      const parent = path.join(world.workspace, 'unreachable');
      await mkdir(parent);
      const from = world.topology.state.requestLog.length;
      const job = await cloneAndWait(world.helper.client, { repository: 'PROJ/app', primary: world.topology.primary.baseUrl, parentDirectory: parent, source: 'near' });
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'CONFLICT' });
      expect(job.error!.message).toContain('near cannot serve this clone now');
      // Only the primary's refs, listed from the start while the questions are asked.
      expect(world.topology.state.requestLog.slice(from).filter((request) => request.path === '/status' || (request.instance !== 'primary' && uploadPack(request)))).toEqual([]);
    } finally {
      world.topology.setFault('near', { kind: 'none' }, 'http');
    }
  }, 60_000);

  // Last: the clones above measured no round trips, so none are kept for this one to reuse.
  it('left to choose, measures every candidate\'s round trips and throughput before git starts', async () => {
    const { beforeGit } = await cloneLoggingDiscovery('auto');
    for (const instance of ['primary', 'near', 'far', 'lagging']) {
      expect(beforeGit.some((request) => request.instance === instance && request.path === '/status'), instance).toBe(true);
    }
    // Each mirror's refs are listed once; a second pack request to one of them is a measurement
    // transfer (near's throughput is not known yet: the clones above came from the others).
    const packRequests = (instance: string) => beforeGit.filter((request) => request.instance === instance && uploadPack(request)).length;
    expect(Math.max(...['near', 'far', 'lagging'].map(packRequests))).toBeGreaterThan(1);
  }, 60_000);
});
