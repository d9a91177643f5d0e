/** Bitbucket 9.x: self links point at the 9.x mirror path (/mirrorRepos/{id}); discovery follows them alike. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';

let topology: Topology;
let helper: InProcessHelper;

beforeAll(async () => {
  topology = await startTopology({ version: '9.4.0', contextPath: '/bitbucket', primary: { delayMs: 20 }, mirrors: [{ name: 'near', delayMs: 1 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] });
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
});

describe('discovery against Bitbucket 9.x with a context path', () => {
  it('follows 9.x self links and keeps the context path in every URL', async () => {
    expect(topology.primary.baseUrl).toMatch(/\/bitbucket$/);
    topology.state.requestLog.length = 0;
    const result = await helper.client.call('discovery.run', { repository: `${topology.primary.baseUrl}/scm/proj/repo.git`, refresh: true });
    expect(result.repository.primaryBaseUrl).toBe(topology.primary.baseUrl);
    expect(result.candidates.find((candidate) => candidate.name === 'near')).toMatchObject({ status: 'healthy', chosen: true, cloneUrls: { http: topology.repo('PROJ', 'repo').mirrorHttpUrl('near') } });
    const selfLink = topology.state.requestLog.find((entry) => entry.instance === 'near' && entry.path.includes('/rest/mirroring/'));
    expect(selfLink?.path).toMatch(/^\/bitbucket\/rest\/mirroring\/latest\/mirrorRepos\/\d+$/);
  });
});
