// The primary's core REST API against a running emulator, with Node's fetch as the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basicAuth as basic,
  bearerAuth,
  fetchJson,
  linkNamed,
  walkPages,
  type ErrorBody,
  type JsonResponse,
  type PagedBody,
  type ProjectBody,
  type RepoBody,
  type SshSettingsBody,
} from '../fixtures/bitbucket/rest-test-client';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';

let world: Topology;
let bearer: Record<string, string>;

const getJson = <T = ErrorBody>(url: string, headers: Record<string, string> = bearer) => fetchJson<T>(url, headers);
const walk = <T>(url: string, limit: number) => walkPages<T>(url, bearer, limit);

beforeAll(async () => {
  // 8.19.12 is the first 8.19 release that refuses access tokens outside /rest and /scm.
  world = await startTopology({
    version: '8.19.12',
    primary: { ssh: true },
    mirrors: [],
    users: [{ name: 'dev', personalRepos: [{ slug: 'scratch' }] }, { name: 'other', password: 'other-secret' }],
    projects: [
      { key: 'PROJ', name: 'Project', repos: [{ slug: 'alpha' }, { slug: 'beta' }, { slug: 'gamma' }, { slug: 'alpha-tools' }] },
      { key: 'TOOLS', name: 'Tools', repos: [{ slug: 'build' }, { slug: 'deploy' }, { slug: 'lint' }] },
      // Empty projects, so listings span many pages without generating many repositories.
      ...Array.from({ length: 55 }, (_, i) => ({ key: `P${String(i).padStart(2, '0')}`, name: `Empty ${i}`, repos: [] })),
    ],
  });
  bearer = bearerAuth(world.credentials.token);
});

afterAll(async () => {
  await world?.stop();
});

const api = (path: string) => `${world.primary.baseUrl}/rest/api/1.0${path}`;

describe('status and application properties', () => {
  it('answers /status and application-properties without credentials', async () => {
    expect(await getJson<{ state: string }>(`${world.primary.baseUrl}/status`, {})).toMatchObject({ status: 200, body: { state: 'RUNNING' } });
    const props = await getJson<Record<string, string>>(api('/application-properties'), {});
    expect(props.status).toBe(200);
    expect(props.body).toMatchObject({ version: '8.19.12', displayName: 'Bitbucket', buildNumber: '8019012' });
  });

  it('redirects a Bearer token on a non-REST path to the login page, and refuses a token as Basic password there', async () => {
    const redirected = await fetch(`${world.primary.baseUrl}/status`, { headers: bearer, redirect: 'manual' });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe(`${world.primary.baseUrl}/login`);
    const tokenAsPassword = await getJson(`${world.primary.baseUrl}/status`, basic('dev', world.credentials.token));
    expect(tokenAsPassword.status).toBe(401);
    // A password is not an access token: the rule does not apply.
    expect((await getJson(`${world.primary.baseUrl}/status`, basic('dev', world.credentials.password))).status).toBe(200);
  });

  it('reports STARTING with 503', async () => {
    world.setPrimaryStatus('STARTING');
    try {
      expect(await getJson<{ state: string }>(`${world.primary.baseUrl}/status`, {})).toMatchObject({ status: 503, body: { state: 'STARTING' } });
    } finally {
      world.setPrimaryStatus('RUNNING');
    }
  });
});

describe('authentication', () => {
  it('accepts Bearer, Basic user:password and Basic user:token', async () => {
    for (const headers of [bearer, basic('dev', world.credentials.password), basic('dev', world.credentials.token)]) {
      expect((await getJson(api('/projects/PROJ'), headers)).status).toBe(200);
    }
  });

  it("answers 401 with Bitbucket's error body for missing or wrong credentials", async () => {
    for (const headers of [{}, { Authorization: 'Bearer not-a-token' }, basic('dev', 'wrong'), basic('nobody', 'x')]) {
      const { status, body } = await getJson(api('/projects/PROJ'), headers);
      expect(status).toBe(401);
      expect(body).toEqual({ errors: [{ context: null, message: expect.any(String), exceptionName: 'com.atlassian.bitbucket.AuthorisationException' }] });
    }
  });
});

describe('repositories', () => {
  it('describes a repository with its id, proxy-port clone links and browse link', async () => {
    const { status, body } = await getJson<RepoBody>(api('/projects/proj/repos/alpha'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ slug: 'alpha', id: world.repo('PROJ', 'alpha').id, scmId: 'git', state: 'AVAILABLE', project: { key: 'PROJ', type: 'NORMAL' } });
    expect(linkNamed(body.links.clone, 'http')).toBe(`http://127.0.0.1:${world.primary.proxy.port}/scm/proj/alpha.git`);
    expect(linkNamed(body.links.clone, 'ssh')).toBe(`ssh://git@127.0.0.1:${world.primary.sshProxy!.port}/proj/alpha.git`);
    expect(body.links.self[0].href).toBe(`${world.primary.baseUrl}/projects/PROJ/repos/alpha/browse`);
  });

  it('puts the caller into the http clone link when that switch is on', async () => {
    world.setCloneUrlWithUser(true);
    try {
      const { body } = await getJson<RepoBody>(api('/projects/PROJ/repos/alpha'), basic('other', 'other-secret'));
      const http = linkNamed(body.links.clone, 'http');
      expect(http).toBe(`http://other@127.0.0.1:${world.primary.proxy.port}/scm/proj/alpha.git`);
    } finally {
      world.setCloneUrlWithUser(false);
    }
  });

  it('serves personal repositories under /users/{user} and /projects/~USER', async () => {
    const byUser = await getJson<RepoBody>(api('/users/dev/repos/scratch'));
    const byProject = await getJson<RepoBody>(api('/projects/~DEV/repos/scratch'));
    expect(byUser.status).toBe(200);
    expect(byProject.body.id).toBe(byUser.body.id);
    expect(byUser.body.project).toMatchObject({ key: '~DEV', type: 'PERSONAL', owner: { name: 'dev' } });
    expect(linkNamed(byUser.body.links.clone, 'http')).toBe(`${world.primary.baseUrl}/scm/~dev/scratch.git`);
    const listed = await getJson<PagedBody<RepoBody>>(api('/users/dev/repos'));
    expect(listed.body.values.map((r) => r.slug)).toEqual(['scratch']);
  });

  it('answers 404 with an error body for a missing repository or project', async () => {
    const repo = await getJson(api('/projects/PROJ/repos/nope'));
    expect(repo.status).toBe(404);
    expect(repo.body.errors[0].exceptionName).toBe('com.atlassian.bitbucket.repository.NoSuchRepositoryException');
    const project = await getJson(api('/projects/NOPE/repos'));
    expect(project.status).toBe(404);
    expect(project.body.errors[0].exceptionName).toBe('com.atlassian.bitbucket.project.NoSuchProjectException');
  });

  it('filters the repository search by name and project key', async () => {
    const byName = await getJson<PagedBody<RepoBody>>(api('/repos?name=alpha'));
    expect(byName.body.values.map((r) => r.slug).sort()).toEqual(['alpha', 'alpha-tools']);
    const byProject = await getJson<PagedBody<RepoBody>>(api('/repos?projectkey=tools'));
    expect(byProject.body.values.map((r) => r.slug)).toEqual(['build', 'deploy', 'lint']);
    const both = await getJson<PagedBody<RepoBody>>(api('/repos?projectkey=PROJ&name=GAM'));
    expect(both.body.values.map((r) => r.slug)).toEqual(['gamma']);
  });
});

describe('paging', () => {
  it('walks every project exactly once, nextPageStart only on pages that are not last', async () => {
    const { values, pages } = await walk<ProjectBody>(api('/projects'), 10);
    expect(values).toHaveLength(57);
    expect(new Set(values.map((p) => p.key)).size).toBe(57);
    expect(pages).toHaveLength(6);
    for (const page of pages.slice(0, -1)) expect(page).toMatchObject({ isLastPage: false, size: 10, limit: 10, nextPageStart: expect.any(Number) });
    const last = pages.at(-1);
    expect(last).toMatchObject({ isLastPage: true, size: 7 });
    expect(last).not.toHaveProperty('nextPageStart');
  });

  it('applies the default limit of 25 and caps the limit at 1000', async () => {
    expect((await getJson<PagedBody<ProjectBody>>(api('/projects'))).body).toMatchObject({ limit: 25, size: 25, start: 0, nextPageStart: 25 });
    expect((await getJson<PagedBody<ProjectBody>>(api('/projects?limit=5000'))).body).toMatchObject({ limit: 1000, size: 57, isLastPage: true });
  });

  it('with non-contiguous starts, following nextPageStart still sees each item once while computing start+limit does not', async () => {
    world.setPagingGap(7);
    try {
      const followed = await walk<ProjectBody>(api('/projects'), 10);
      const all = await getJson<PagedBody<ProjectBody>>(api('/projects?limit=100'));
      expect(followed.values.map((p) => p.key)).toEqual(all.body.values.map((p) => p.key));
      expect(followed.pages[0]!.nextPageStart).not.toBe(10);
      // A client that computes the next start itself gets an overlapping page.
      const naiveSecond = await getJson<PagedBody<ProjectBody>>(api('/projects?start=10&limit=10'));
      const firstKeys = followed.pages[0]!.values.map((p) => p.key);
      expect(naiveSecond.body.values.some((p) => firstKeys.includes(p.key))).toBe(true);
      const repos = await walk<RepoBody>(api('/repos'), 2);
      expect(repos.values.map((r) => r.slug)).toHaveLength(8);
    } finally {
      world.setPagingGap(0);
    }
  });
});

describe('repository sizes (the settings page\'s non-REST answer)', () => {
  it('gives the pack bytes to a password, and refuses an access token on a release that limits tokens to /rest and /scm', async () => {
    const sizes = `${world.primary.baseUrl}/projects/PROJ/repos/alpha/sizes`;
    const answer = await getJson<{ repository: number; attachments: number }>(sizes, basic('dev', world.credentials.password));
    expect(answer.status).toBe(200);
    expect(answer.body.repository).toBeGreaterThan(1000);
    expect(answer.body.attachments).toBe(0);
    expect((await fetch(sizes, { headers: bearer, redirect: 'manual' })).status).toBe(302);
    expect((await fetch(sizes, { redirect: 'manual' })).status).toBe(200); // the login page, not the sizes
    expect((await fetch(`${world.primary.baseUrl}/projects/PROJ/repos/nothing/sizes`, { headers: basic('dev', world.credentials.password) })).status).toBe(404);
  });

  it('takes an access token there on an older release', async () => {
    const older = await startTopology({ version: '8.19.1', primary: { ssh: false }, projects: [{ key: 'OLD', repos: [{ slug: 'one' }] }] });
    try {
      const answer = await getJson<{ repository: number }>(`${older.primary.baseUrl}/projects/OLD/repos/one/sizes`, bearerAuth(older.credentials.token));
      expect(answer.status).toBe(200);
      expect(answer.body.repository).toBeGreaterThan(1000);
    } finally {
      await older.stop();
    }
  });
});

describe('error modes', () => {
  it('answers an unknown path with an HTML 404 page', async () => {
    // No token on the non-REST path: a token there would be redirected to /login instead.
    for (const [path, headers] of [['/rest/api/1.0/nothing-here', bearer], ['/no/such/page', {}]] as const) {
      const response = await fetch(`${world.primary.baseUrl}${path}`, { headers });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
    }
  });

  it('in HTML mode answers every REST path with an HTML page, leaving /status alone', async () => {
    world.setHtmlMode(200);
    try {
      const response = await fetch(api('/projects/PROJ/repos/alpha'), { headers: bearer });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      await expect(response.json()).rejects.toThrow();
      expect((await getJson<{ state: string }>(`${world.primary.baseUrl}/status`, {})).body).toEqual({ state: 'RUNNING' });
    } finally {
      world.setHtmlMode(null);
    }
    expect((await getJson(api('/projects/PROJ/repos/alpha'))).status).toBe(200);
  });

  it('rate-limits per user with 429 and Retry-After once the bucket is empty', async () => {
    world.setRateLimit({ capacity: 3, refillPerSecond: 0.2 });
    try {
      const statuses: number[] = [];
      let limited: JsonResponse<ErrorBody> | undefined;
      for (let i = 0; i < 5; i++) {
        const result = await getJson(api('/projects/PROJ'), basic('other', 'other-secret'));
        statuses.push(result.status);
        if (result.status === 429) limited ??= result;
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited!.body.errors[0]!.message).toMatch(/rate limit/i);
      // The bucket is per user: another user is not affected.
      expect((await getJson(api('/projects/PROJ'), bearer)).status).toBe(200);
    } finally {
      world.setRateLimit(null);
    }
  });
});

describe('a 9.x primary without SSH under a context path', () => {
  let other: Topology;
  beforeAll(async () => {
    other = await startTopology({ version: '9.4.0', contextPath: '/bitbucket', primary: { ssh: false }, projects: [{ key: 'APP', repos: [{ slug: 'web' }] }] });
  });
  afterAll(async () => {
    await other?.stop();
  });

  it('reports 9.4.0, keeps every URL below the context path and omits the ssh link', async () => {
    expect(other.primary.baseUrl).toMatch(/\/bitbucket$/);
    const auth = bearerAuth(other.credentials.token);
    expect((await getJson<{ version: string }>(`${other.primary.baseUrl}/rest/api/1.0/application-properties`, {})).body.version).toBe('9.4.0');
    const { body } = await getJson<RepoBody>(`${other.primary.baseUrl}/rest/api/latest/projects/APP/repos/web`, auth);
    expect(body.links.clone).toEqual([{ name: 'http', href: `${other.primary.baseUrl}/scm/app/web.git` }]);
    const outside = await fetch(`http://127.0.0.1:${other.primary.proxy.port}/rest/api/1.0/projects`, { headers: auth });
    expect(outside.status).toBe(404);
    const settings = await getJson<SshSettingsBody>(`${other.primary.baseUrl}/rest/ssh/latest/settings`, auth);
    expect(settings.body).toMatchObject({ enabled: false });
  });
});
