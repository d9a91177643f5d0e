// The demo world (npm run demo, and the app's demo launcher): its distances are real and its
// printed summary tells a person what they need. The big repository is made small here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDescription, demoSummary, startDemoTopology } from '../fixtures/bitbucket/demo-topology';
import { bearerAuth, fetchJson, type MirrorDescriptorBody, type MirroredRepoBody, type PagedBody } from '../fixtures/bitbucket/rest-test-client';
import type { Topology } from '../fixtures/bitbucket/topology';

let world: Topology;

beforeAll(async () => {
  world = await startDemoTopology({ bigRepoBytes: 256 * 1024 });
});

afterAll(async () => {
  await world?.stop();
});

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
    for (const mirror of Object.values(world.mirrors)) expect(summary).toContain(mirror.baseUrl);
  });
});
