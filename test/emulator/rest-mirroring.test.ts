// Mirror discovery as clients do it: the primary lists every mirror with a JWT self link, and
// each mirror answers that link (and only without an Authorization header).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicAuth,
  bearerAuth,
  fetchJson,
  linkNamed,
  walkPages,
  type ErrorBody,
  type MirrorDescriptorBody,
  type MirroredRepoBody,
  type MirrorServerBody,
  type PagedBody,
} from '../fixtures/bitbucket/rest-test-client';
import { startTopology, type MirroredRepoStatus, type Topology } from '../fixtures/bitbucket/topology';

let world: Topology;
let auth: Record<string, string>;

beforeAll(async () => {
  world = await startTopology({
    mirrors: [
      { name: 'near', delayMs: 1 },
      { name: 'swagger', delayMs: 1, bodyForm: 'cloneUrls' },
      { name: 'retired', delayMs: 1, enabled: false },
    ],
    projects: [{ key: 'PROJ', repos: [{ slug: 'shared' }, { slug: 'solo', mirroredOn: ['near'] }] }],
  });
  auth = bearerAuth(world.credentials.token);
});

afterAll(async () => {
  await world?.stop();
});

async function descriptors(slug: string, version: '1.0' | 'latest' = '1.0'): Promise<MirrorDescriptorBody[]> {
  const { id } = world.repo('PROJ', slug);
  const { status, body } = await fetchJson<PagedBody<MirrorDescriptorBody>>(`${world.primary.baseUrl}/rest/mirroring/${version}/repos/${id}/mirrors`, auth);
  expect(status).toBe(200);
  return body.values;
}

async function selfLink(slug: string, mirror: string): Promise<string> {
  const found = (await descriptors(slug)).find((d) => d.mirrorServer.name === mirror);
  return found!.links.self[0]!.href;
}

describe('the primary lists mirrors', () => {
  it('lists every mirror, disabled ones and ones not holding the repository included', async () => {
    for (const version of ['1.0', 'latest'] as const) {
      const values = await descriptors('solo', version);
      expect(values.map((v) => v.mirrorServer.name)).toEqual(['near', 'swagger', 'retired']);
      expect(values.map((v) => v.mirrorServer.enabled)).toEqual([true, true, false]);
    }
  });

  it('gives absolute 8.x self links on the mirror with a jwt, and describes the mirror server', async () => {
    const [near] = await descriptors('shared');
    const href = new URL(near!.links.self[0]!.href);
    expect(`${href.origin}`).toBe(world.mirrors.near!.baseUrl);
    expect(href.pathname).toBe(`/rest/mirroring/latest/upstreamServers/${world.state.upstreamId}/repos/${world.repo('PROJ', 'shared').id}`);
    expect(href.searchParams.get('jwt')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(near!.mirrorServer).toMatchObject({
      id: world.mirrors.near!.id,
      baseUrl: world.mirrors.near!.baseUrl,
      mirrorType: 'SINGLE',
      productType: 'Bitbucket',
      lastSeenDate: expect.any(Number),
    });
  });

  it('pages the mirror list', async () => {
    const { id } = world.repo('PROJ', 'shared');
    const { values, pages } = await walkPages<MirrorDescriptorBody>(`${world.primary.baseUrl}/rest/mirroring/1.0/repos/${id}/mirrors`, auth, 1);
    expect(pages).toHaveLength(3);
    expect(values.map((v) => v.mirrorServer.name)).toEqual(['near', 'swagger', 'retired']);
  });

  it('lists mirror servers', async () => {
    const { body } = await fetchJson<PagedBody<MirrorServerBody>>(`${world.primary.baseUrl}/rest/mirroring/latest/mirrorServers`, auth);
    expect(body.values.map((m) => m.id)).toEqual(['near', 'swagger', 'retired'].map((n) => world.mirrors[n]!.id));
  });

  it('answers 409 "Mirroring is not available" in that mode', async () => {
    world.setMirroringAvailable(false);
    try {
      for (const path of [`/rest/mirroring/1.0/repos/${world.repo('PROJ', 'shared').id}/mirrors`, '/rest/mirroring/1.0/mirrorServers']) {
        const { status, body } = await fetchJson<ErrorBody>(`${world.primary.baseUrl}${path}`, auth);
        expect(status).toBe(409);
        expect(body.errors[0]!.message).toBe('Mirroring is not available');
      }
    } finally {
      world.setMirroringAvailable(true);
    }
  });

  it('requires credentials for the mirror list', async () => {
    const { status } = await fetchJson(`${world.primary.baseUrl}/rest/mirroring/1.0/repos/1/mirrors`);
    expect(status).toBe(401);
  });

  it('stores, returns and deletes the preferred mirror', async () => {
    const url = `${world.primary.baseUrl}/rest/mirroring/latest/account/settings/preferred-mirror`;
    expect((await fetchJson(url, auth)).status).toBe(404);
    const json = { 'Content-Type': 'application/json' };
    expect((await fetchJson(url, auth, { method: 'POST', body: JSON.stringify('NOPE-NOPE-NOPE-NOPE'), headers: json })).status).toBe(404);
    expect((await fetchJson(url, auth, { method: 'POST', body: JSON.stringify(world.mirrors.near!.id), headers: json })).status).toBe(204);
    expect((await fetchJson<MirrorServerBody>(url, auth)).body.name).toBe('near');
    expect((await fetchJson(url, auth, { method: 'DELETE' })).status).toBe(204);
    expect((await fetchJson(url, auth)).status).toBe(404);
  });
});

describe('a mirror answers its self link', () => {
  it('with links.clone on the mirror and links.push on the primary', async () => {
    const { status, body } = await fetchJson<MirroredRepoBody>(await selfLink('shared', 'near'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ available: true, status: 'AVAILABLE', mirrorName: 'near', repositoryId: String(world.repo('PROJ', 'shared').id) });
    expect(body.cloneUrls).toBeUndefined();
    expect(linkNamed(body.links!.clone, 'http')).toBe(`${world.mirrors.near!.baseUrl}/scm/proj/shared.git`);
    expect(linkNamed(body.links!.clone, 'ssh')).toBe(`ssh://git@127.0.0.1:${world.mirrors.near!.sshProxy!.port}/proj/shared.git`);
    expect(linkNamed(body.links!.push, 'http')).toBe(world.repo('PROJ', 'shared').httpUrl);
  });

  it('in the cloneUrls/pushUrls form when switched to it', async () => {
    const { body } = await fetchJson<MirroredRepoBody>(await selfLink('shared', 'swagger'));
    expect(body.links).toBeUndefined();
    expect(linkNamed(body.cloneUrls, 'http')).toBe(`${world.mirrors.swagger!.baseUrl}/scm/proj/shared.git`);
    expect(linkNamed(body.pushUrls, 'http')).toBe(world.repo('PROJ', 'shared').httpUrl);
  });

  it('reports NOT_MIRRORED for a repository it does not hold', async () => {
    const { status, body } = await fetchJson<MirroredRepoBody>(await selfLink('solo', 'swagger'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ available: false, status: 'NOT_MIRRORED' });
  });

  it('is available only while the repository is AVAILABLE or ERROR_AVAILABLE', async () => {
    const expected: Record<MirroredRepoStatus, boolean> = {
      INITIALIZING: false,
      ERROR_INITIALIZING: false,
      ERROR_AVAILABLE: true,
      NOT_MIRRORED: false,
      AVAILABLE: true,
    };
    try {
      for (const [status, available] of Object.entries(expected) as Array<[MirroredRepoStatus, boolean]>) {
        world.setRepoStatusOnMirror('near', 'PROJ', 'shared', status);
        const { body } = await fetchJson<MirroredRepoBody>(await selfLink('shared', 'near'));
        expect({ status: body.status, available: body.available }).toEqual({ status, available });
      }
    } finally {
      world.setRepoStatusOnMirror('near', 'PROJ', 'shared', 'AVAILABLE');
    }
  });

  it('answers 404 in its not-found mode', async () => {
    const link = await selfLink('shared', 'near');
    world.setMirrorNotFound('near', true);
    try {
      expect((await fetchJson(link)).status).toBe(404);
    } finally {
      world.setMirrorNotFound('near', false);
    }
    expect((await fetchJson(link)).status).toBe(200);
  });
});

describe('the jwt is the only credential a mirror accepts', () => {
  it('answers 401 with WWW-Authenticate when any Authorization header comes with a valid jwt', async () => {
    const link = await selfLink('shared', 'near');
    for (const headers of [auth, basicAuth(world.credentials.user, world.credentials.password)]) {
      const { status, headers: responseHeaders, body } = await fetchJson<ErrorBody>(link, headers);
      expect(status).toBe(401);
      expect(responseHeaders.get('www-authenticate')).toMatch(/^OAuth realm=/);
      expect(body.errors[0]!.exceptionName).toBe('com.atlassian.bitbucket.AuthorisationException');
    }
    expect((await fetchJson(link)).status).toBe(200);
  });

  it('answers 401 without a jwt, with a tampered one, or one made for another mirror or repository', async () => {
    const link = new URL(await selfLink('shared', 'near'));
    const jwt = link.searchParams.get('jwt')!;
    const withJwt = (value: string | null, base: URL = link) => {
      const url = new URL(base);
      if (value === null) url.searchParams.delete('jwt');
      else url.searchParams.set('jwt', value);
      return url.toString();
    };
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    expect((await fetchJson(withJwt(null))).status).toBe(401);
    expect((await fetchJson(withJwt('garbage'))).status).toBe(401);
    expect((await fetchJson(withJwt(`${header}.${forged}.${signature}`))).status).toBe(401);
    // The same token presented to another mirror (audience) and for another repository.
    const other = new URL(await selfLink('shared', 'swagger'));
    expect((await fetchJson(withJwt(jwt, other))).status).toBe(401);
    const soloPath = new URL(await selfLink('solo', 'near'));
    expect((await fetchJson(withJwt(jwt, soloPath))).status).toBe(401);
    expect((await fetchJson(link.toString())).status).toBe(200);
  });

  it('answers 401 once the jwt has expired', async () => {
    world.setJwtTtlSeconds(1);
    try {
      const link = await selfLink('shared', 'near');
      expect((await fetchJson(link)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const { status, body } = await fetchJson<ErrorBody>(link);
      expect(status).toBe(401);
      expect(body.errors[0]!.message).toMatch(/expired/);
    } finally {
      world.setJwtTtlSeconds(120);
    }
  });
});

describe('mirror status', () => {
  it('switches between RUNNING (200), STARTING (503) and MAINTENANCE (200) at run time', async () => {
    const status = () => fetchJson<{ state: string }>(`${world.mirrors.near!.baseUrl}/status`);
    try {
      expect(await status()).toMatchObject({ status: 200, body: { state: 'RUNNING' } });
      world.setMirrorStatus('near', 'STARTING');
      expect(await status()).toMatchObject({ status: 503, body: { state: 'STARTING' } });
      world.setMirrorStatus('near', 'MAINTENANCE');
      expect(await status()).toMatchObject({ status: 200, body: { state: 'MAINTENANCE' } });
    } finally {
      world.setMirrorStatus('near', 'RUNNING');
    }
  });
});

describe('a 9.x primary', () => {
  let nine: Topology;
  beforeAll(async () => {
    nine = await startTopology({ version: '9.4.0', primary: { ssh: false }, mirrors: [{ name: 'm1' }], projects: [{ key: 'K', repos: [{ slug: 'r' }] }] });
  });
  afterAll(async () => {
    await nine?.stop();
  });

  it('points self links at the 9.x mirrorRepos path, which the mirror answers', async () => {
    const { id } = nine.repo('K', 'r');
    const { body } = await fetchJson<PagedBody<MirrorDescriptorBody>>(`${nine.primary.baseUrl}/rest/mirroring/latest/repos/${id}/mirrors`, bearerAuth(nine.credentials.token));
    const descriptor = body.values[0]!;
    expect(descriptor.mirrorServer.productType).toBeUndefined();
    const href = new URL(descriptor.links.self[0]!.href);
    expect(href.pathname).toBe(`/rest/mirroring/latest/mirrorRepos/${id}`);
    const mirrored = await fetchJson<MirroredRepoBody>(href.toString());
    expect(mirrored.body).toMatchObject({ available: true, status: 'AVAILABLE', mirrorName: 'm1' });
    expect(mirrored.body.links!.clone.map((l) => l.name)).toEqual(['http']);
  });
});
