/**
 * Round trips to a far primary: REST calls go over the helper's kept-alive connections, and once
 * a repository's id is known its mirror list is asked alongside the repository, not after it.
 * Concurrency shows in the connections: on one idle kept-alive connection, two requests one after
 * the other share it; two at once need a second one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp } from 'node:fs/promises';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { createBitbucketClient } from '../../electron/helper/bitbucket/rest-client';
import { createConnectionPool } from '../../electron/helper/net/connection-pool';
import { findCandidates } from '../../electron/helper/discovery/find-candidates';
import { createRepositoryIds } from '../../electron/helper/discovery/repository-ids';

let topology: Topology;

beforeAll(async () => {
  topology = await startTopology({
    primary: { delayMs: 100, ssh: false },
    mirrors: [{ name: 'near', delayMs: 1 }],
    projects: [{ key: 'PROJ', repos: [{ slug: 'repo', mirroredOn: ['near'] }, { slug: 'other', mirroredOn: ['near'] }] }],
  });
});

afterAll(async () => {
  await topology?.stop();
});

/** The primary's REST requests made while `action` ran, and the connections its proxy accepted meanwhile. */
async function watchPrimary(action: () => Promise<unknown>) {
  const logStart = topology.state.requestLog.length;
  const accepted = topology.primary.proxy.acceptedConnections;
  await action();
  const requests = topology.state.requestLog.slice(logStart).filter((entry) => entry.instance === 'primary' && !entry.path.startsWith('/scm/'));
  return { requests, newConnections: topology.primary.proxy.acceptedConnections - accepted };
}

const connectionOf = (requests: { path: string; connection?: number }[], path: RegExp) => requests.find((entry) => path.test(entry.path))!.connection;
const repositoryPath = /^\/rest\/api\/1\.0\/projects\/PROJ\/repos\/repo$/;
const mirrorsPath = /\/repos\/\d+\/mirrors$/;

describe('REST round trips to the primary', () => {
  it('asks for the mirror list alongside the repository once its id is known, over kept-alive connections', async () => {
    const pool = createConnectionPool();
    const client = createBitbucketClient({ baseUrl: topology.primary.baseUrl, credentials: { kind: 'token', token: topology.credentials.token }, pool });
    const repositoryIds = createRepositoryIds();
    const find = () => findCandidates({ client, projectKey: 'PROJ', slug: 'repo', manualMirrors: [], repositoryIds, mirrorOptions: { pool } });
    try {
      // First lookup: the id is unknown, so the list waits for the repository, on the same connection.
      const first = await watchPrimary(find);
      expect(first.requests.map((entry) => entry.path)).toEqual([expect.stringMatching(repositoryPath), expect.stringMatching(mirrorsPath)]);
      expect(first.newConnections).toBe(1);
      expect(connectionOf(first.requests, mirrorsPath)).toBe(connectionOf(first.requests, repositoryPath));

      // Second: both at once, so the idle connection serves one and a second one opens.
      const second = await watchPrimary(find);
      expect(second.requests).toHaveLength(2);
      expect(second.newConnections).toBe(1);
      expect(connectionOf(second.requests, mirrorsPath)).not.toBe(connectionOf(second.requests, repositoryPath));

      // Third: both kept-alive connections are reused; nothing new is opened.
      const third = await watchPrimary(find);
      expect(third.newConnections).toBe(0);
      const known = new Set([...first.requests, ...second.requests].map((entry) => entry.connection));
      for (const entry of third.requests) expect(known).toContain(entry.connection);

      // They are the pool's connections, not Node's global agent's: destroying the pool closes them.
      expect(topology.primary.proxy.openConnections).toBe(2);
      pool.destroy();
      const closedBy = Date.now() + 3_000;
      while (topology.primary.proxy.openConnections > 0 && Date.now() < closedBy) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(topology.primary.proxy.openConnections).toBe(0);
    } finally {
      pool.destroy();
    }
  });

  it('asks again when the repository turns out to have another id than remembered', async () => {
    const client = createBitbucketClient({ baseUrl: topology.primary.baseUrl, credentials: { kind: 'token', token: topology.credentials.token } });
    const repositoryIds = createRepositoryIds();
    const otherId = topology.repo('PROJ', 'other').id;
    repositoryIds.set(client.baseUrl, 'PROJ', 'repo', otherId); // as if PROJ/repo had been created again
    const found = await findCandidates({ client, projectKey: 'PROJ', slug: 'repo', manualMirrors: [], repositoryIds });
    const repoId = topology.repo('PROJ', 'repo').id;
    expect(found.repository.id).toBe(repoId);
    expect(found.candidates.find((candidate) => candidate.name === 'near')?.cloneUrls.http).toBe(topology.repo('PROJ', 'repo').mirrorHttpUrl('near'));
    expect(repositoryIds.get(client.baseUrl, 'PROJ', 'repo')).toBe(repoId);
  });

  describe('through the helper', () => {
    let helper: InProcessHelper;
    beforeAll(async () => {
      helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
    });
    afterAll(async () => {
      await helper?.stop();
    });

    it("every REST call of a discovery reuses the helper's kept-alive connections", async () => {
      const discover = () => helper.client.call('discovery.run', { repository: 'PROJ/repo', primary: topology.primary.baseUrl, samples: 2, refresh: true });
      const earlier = [await watchPrimary(discover), await watchPrimary(discover)];
      const later = await watchPrimary(discover);
      const rest = later.requests.filter((entry) => entry.path.startsWith('/rest/'));
      // The repository, .gitattributes at its default branch (does it use Git LFS?), its mirrors, the user's preferred mirror.
      expect(rest.map((entry) => entry.path).sort()).toEqual([expect.stringMatching(repositoryPath), expect.stringMatching(/\/repos\/repo\/browse\/\.gitattributes$/), expect.stringMatching(mirrorsPath), expect.stringMatching(/preferred-mirror$/)]);
      const known = new Set(earlier.flatMap((watched) => watched.requests.map((entry) => entry.connection)));
      for (const entry of rest) expect(known, entry.path).toContain(entry.connection);
    });

    it('a helper started afresh on the same data folder (the next command-line run) asks the repository and its mirror list at once, and not the release again', async () => {
      const discover = (on: InProcessHelper) => on.client.call('discovery.run', { repository: 'PROJ/repo', primary: topology.primary.baseUrl, samples: 2 });
      const first = await startInProcessHelper({ environmentToken: topology.credentials.token });
      let next: InProcessHelper | undefined;
      try {
        const learning = await watchPrimary(() => discover(first));
        expect(learning.requests.some((entry) => entry.path.endsWith('/application-properties'))).toBe(true);
        next = await startInProcessHelper({ environmentToken: topology.credentials.token }, (dataDir) => cp(first.dataDir, dataDir, { recursive: true }));
        await first.stop();
        const again = await watchPrimary(() => discover(next!));
        const paths = again.requests.map((entry) => entry.path);
        expect(paths.some((path) => path.endsWith('/application-properties'))).toBe(false);
        expect(paths.filter((path) => repositoryPath.test(path) || mirrorsPath.test(path))).toHaveLength(2);
        // Asked at once: each on a connection of its own (one after the other would share one).
        expect(connectionOf(again.requests, mirrorsPath)).not.toBe(connectionOf(again.requests, repositoryPath));
      } finally {
        await first.stop().catch(() => {});
        await next?.stop();
      }
    });
  });
});
