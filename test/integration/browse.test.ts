/** Browsing a primary's projects and repositories, page by page, with search, against the emulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import type { ResultOf } from '../../shared/contract';

let topology: Topology;
let helper: InProcessHelper;

beforeAll(async () => {
  topology = await startTopology({
    projects: [
      { key: 'PLAT', name: 'Platform', repos: ['api', 'web-app', 'monorepo', 'infra', 'docs'].map((slug) => ({ slug })) },
      { key: 'TOOLS', name: 'Tools', repos: [{ slug: 'build-scripts' }, { slug: 'web-lint' }] },
      { key: 'OLD', name: 'Old', repos: [{ slug: 'old-site', archived: true }] },
    ],
  });
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
});

describe('browsing a primary', () => {
  it('walks every page of repositories by nextStart, also when page starts are not contiguous', async () => {
    topology.setPagingGap(3);
    try {
      const slugs: string[] = [];
      let start: number | undefined = 0;
      let pages = 0;
      while (start !== undefined) {
        const page: ResultOf<'repositories.list'> = await helper.client.call('repositories.list', { primary: topology.primary.baseUrl, start, limit: 2 });
        slugs.push(...page.values.map((repository) => `${repository.projectKey}/${repository.slug}`));
        start = page.nextStart ?? undefined;
        pages += 1;
      }
      expect(pages).toBe(4);
      expect(slugs.sort()).toEqual(['OLD/old-site', 'PLAT/api', 'PLAT/docs', 'PLAT/infra', 'PLAT/monorepo', 'PLAT/web-app', 'TOOLS/build-scripts', 'TOOLS/web-lint']);
    } finally {
      topology.setPagingGap(0);
    }
  });

  it('searches repositories by name, optionally within a project', async () => {
    const all = await helper.client.call('repositories.list', { primary: topology.primary.baseUrl, query: 'web' });
    expect(all.values.map((repository) => repository.slug).sort()).toEqual(['web-app', 'web-lint']);
    const tools = await helper.client.call('repositories.list', { primary: topology.primary.baseUrl, query: 'web', projectKey: 'TOOLS' });
    expect(tools.values).toEqual([expect.objectContaining({ projectKey: 'TOOLS', projectName: 'Tools', slug: 'web-lint', archived: false })]);
    expect(tools.nextStart).toBeNull();
  });

  it('lists archived repositories too, marked (they can still be cloned)', async () => {
    const old = await helper.client.call('repositories.list', { primary: topology.primary.baseUrl, query: 'old' });
    expect(old.values).toEqual([expect.objectContaining({ projectKey: 'OLD', slug: 'old-site', archived: true })]);
  });

  it('lists projects', async () => {
    const projects = await helper.client.call('projects.list', { primary: topology.primary.baseUrl });
    expect(projects.values.map((project) => [project.key, project.name])).toEqual(expect.arrayContaining([['PLAT', 'Platform'], ['TOOLS', 'Tools']]));
  });

  it('reports a refused token as UNAUTHORIZED', async () => {
    const stranger = await startInProcessHelper({ environmentToken: 'wrong' });
    try {
      await expect(stranger.client.call('repositories.list', { primary: topology.primary.baseUrl })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      await stranger.stop();
    }
  });
});
