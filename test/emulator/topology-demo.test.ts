// The demo world (npm run demo, and the app's demo launcher): its distances and bandwidths are
// real and its printed summary tells a person what they need. The big repositories are made
// small here.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDescription, demoSummary, startDemoTopology } from '../fixtures/bitbucket/demo-topology';
import { bearerAuth, fetchJson, type MirrorDescriptorBody, type MirroredRepoBody, type PagedBody } from '../fixtures/bitbucket/rest-test-client';
import type { Topology } from '../fixtures/bitbucket/topology';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const MODELS_BYTES = 1024 * 1024;

let world: Topology;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [world, workspace] = await Promise.all([startDemoTopology({ bigRepoBytes: 256 * 1024, modelsRepoBytes: MODELS_BYTES, lfsRepoBytes: 1024 * 1024 }), makeTempDir('demo-clones')]);
});

afterAll(async () => {
  await world?.stop();
  await workspace?.cleanup();
});

/** A plain `git clone --mirror` of ML/models from a mirror, timed from start to end. */
async function cloneModelsMs(mirror: string): Promise<number> {
  const started = performance.now();
  const url = world.repo('ML', 'models').mirrorHttpUrl(mirror);
  await run('git', ['-c', `http.extraHeader=Authorization: Bearer ${world.credentials.token}`, 'clone', '--mirror', '--quiet', '--', url, path.join(workspace.path, mirror)], {
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  return performance.now() - started;
}

async function mirroredStatus(projectKey: string, slug: string): Promise<Record<string, string>> {
  const auth = bearerAuth(world.credentials.token);
  const { body } = await fetchJson<PagedBody<MirrorDescriptorBody>>(`${world.primary.baseUrl}/rest/mirroring/1.0/repos/${world.repo(projectKey, slug).id}/mirrors`, auth);
  const statuses: Record<string, string> = {};
  for (const value of body.values.filter((v) => v.mirrorServer.enabled)) {
    statuses[value.mirrorServer.name] = (await fetchJson<MirroredRepoBody>(value.links.self[0]!.href)).body.status;
  }
  return statuses;
}

async function roundTripMs(baseUrl: string): Promise<number> {
  // The proxy accepts locally and delays the data: request and answer make one round trip.
  const started = performance.now();
  const response = await fetch(`${baseUrl}/status`);
  await response.text();
  return performance.now() - started;
}

describe('the demo topology', () => {
  it('places the primary far away and the mirrors nearer', async () => {
    const primary = await roundTripMs(world.primary.baseUrl);
    const nearby = await roundTripMs(world.mirrors.nearby!.baseUrl);
    const regional = await roundTripMs(world.mirrors.regional!.baseUrl);
    console.log(`[demo] /status from primary ${primary.toFixed(0)} ms, regional ${regional.toFixed(0)} ms, nearby ${nearby.toFixed(0)} ms`);
    expect(primary).toBeGreaterThanOrEqual(250);
    expect(regional).toBeGreaterThanOrEqual(80);
    expect(nearby).toBeLessThan(regional);
    expect(regional).toBeLessThan(primary);
  });

  it('puts the office mirror closer than the datacenter one, but on a link forty times thinner', async () => {
    const office = await roundTripMs(world.mirrors.office!.baseUrl);
    const datacenter = await roundTripMs(world.mirrors.datacenter!.baseUrl);
    console.log(`[demo] /status from office ${office.toFixed(0)} ms, datacenter ${datacenter.toFixed(0)} ms`);
    expect(datacenter).toBeGreaterThanOrEqual(24);
    expect(office).toBeLessThan(datacenter);

    const fromOffice = await cloneModelsMs('office');
    const fromDatacenter = await cloneModelsMs('datacenter');
    console.log(`[demo] ML/models (${MODELS_BYTES} bytes) cloned from office in ${fromOffice.toFixed(0)} ms, from datacenter in ${fromDatacenter.toFixed(0)} ms`);
    // 1 MB/s: the office link cannot deliver the pack in less than about a second.
    expect(fromOffice).toBeGreaterThanOrEqual(900);
    expect(fromDatacenter).toBeLessThan(fromOffice);
  });

  it('holds ML/models only on the office and datacenter mirrors, and everything else only on the others', async () => {
    expect(await mirroredStatus('ML', 'models')).toEqual({ nearby: 'NOT_MIRRORED', regional: 'NOT_MIRRORED', office: 'AVAILABLE', datacenter: 'AVAILABLE' });
    expect(await mirroredStatus('PLAT', 'monorepo')).toEqual({ nearby: 'AVAILABLE', regional: 'AVAILABLE', office: 'NOT_MIRRORED', datacenter: 'NOT_MIRRORED' });
  });

  it('lists the mirrors for the big repository, with the regional mirror not holding TOOLS/design-system', async () => {
    const auth = bearerAuth(world.credentials.token);
    const { body } = await fetchJson<PagedBody<MirrorDescriptorBody>>(
      `${world.primary.baseUrl}/rest/mirroring/1.0/repos/${world.repo('TOOLS', 'design-system').id}/mirrors`,
      auth,
    );
    expect(body.values.map((v) => [v.mirrorServer.name, v.mirrorServer.enabled])).toEqual([
      ['nearby', true],
      ['regional', true],
      ['retired', false],
      ['office', true],
      ['datacenter', true],
    ]);
    const regional = body.values.find((v) => v.mirrorServer.name === 'regional')!;
    expect((await fetchJson<MirroredRepoBody>(regional.links.self[0]!.href)).body.status).toBe('NOT_MIRRORED');
  });

  it('prints the base URL, the token and the CLI example', () => {
    const summary = demoSummary(world, demoDescription());
    expect(summary).toContain(world.primary.baseUrl);
    expect(summary).toContain(world.credentials.token);
    expect(summary).toContain(
      `MIRROR_CLONE_TOKEN=${world.credentials.token} npm run -s mirror-clone -- discover ${world.primary.baseUrl}/projects/PLAT/repos/monorepo`,
    );
    expect(summary).toContain(`discover ${world.primary.baseUrl}/projects/ML/repos/models`);
    expect(summary).toMatch(/ML\/models .* \(on office, datacenter\)/);
    for (const mirror of Object.values(world.mirrors)) expect(summary).toContain(mirror.baseUrl);
  });
});
