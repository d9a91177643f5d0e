/** The cache's disk quota: adding past it removes the least recently used local mirror. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import type { CloneJob } from '../../shared/contract';

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ mirrors: [{ name: 'near' }], projects: [{ key: 'PROJ', repos: ['alpha', 'beta', 'gamma'].map((slug, index) => ({ slug, sizeBytes: 400_000, seed: 40 + index })) }] }),
    makeTempDir('cache-quota'),
  ]);
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

const add = (slug: string) => helper.client.call('cache.add', { repository: `PROJ/${slug}`, primary: topology.primary.baseUrl });

describe('the cache quota', () => {
  it('removes the least recently used local mirror when a new one does not fit', async () => {
    const alpha = await add('alpha');
    const [listed] = await helper.client.call('cache.list', {});
    await helper.client.call('settings.update', { cacheQuotaBytes: Math.round(listed!.sizeBytes! * 2.5) });
    const beta = await add('beta');

    // A clone of alpha borrows from its local mirror: alpha is now the most recently used.
    const finished = new Map<string, CloneJob>();
    helper.client.on('clone.state', ({ job }) => job.finishedAt && finished.set(job.jobId, job));
    const { jobId } = await helper.client.call('clone.start', { repository: 'PROJ/alpha', parentDirectory: workspace.path, primary: topology.primary.baseUrl });
    while (!finished.has(jobId)) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(finished.get(jobId)!.result!.reason).toContain('local mirror');

    const removals: { id: string; reason: string }[] = [];
    helper.client.on('cache.mirrorRemoved', (removal) => removals.push(removal));
    const gamma = await add('gamma');
    const left = (await helper.client.call('cache.list', {})).map((mirror) => mirror.slug).sort();
    expect(left).toEqual(['alpha', 'gamma']);
    expect(existsSync(beta.path)).toBe(false);
    expect(existsSync(alpha.path) && existsSync(gamma.path)).toBe(true);
    expect(path.dirname(beta.path)).toBe(path.dirname(alpha.path));
    // Open windows are told, and why.
    await expect.poll(() => removals).toEqual([{ id: beta.id, reason: 'quota' }]);
  });
});
