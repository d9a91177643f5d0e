// Real `git` over HTTP against the emulator: clone and push on the primary with credentials from
// GIT_ASKPASS or an extra header set through the environment, read-only mirrors, and mirror lag.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitClient, headsOf, type GitClient } from '../fixtures/bitbucket/git-client';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';

let world: Topology;
let workDir: string;
/** Knows the user's password (via GIT_ASKPASS). */
let git: GitClient;
/** Has no credentials at all. */
let anonymous: GitClient;
let counter = 0;

const freshDir = () => join(workDir, `checkout-${++counter}`);

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Clones from the primary, adds a commit on main and pushes it; returns the new sha and git's stderr. */
async function pushCommit(slug: string, content: Buffer | string, env: NodeJS.ProcessEnv = {}): Promise<{ sha: string; stderr: string }> {
  const dir = freshDir();
  await git.ok(['clone', '--quiet', '--', world.repo('PROJ', slug).httpUrl, dir]);
  await writeFile(join(dir, `change-${counter}.txt`), content);
  await git.ok(['add', '.'], { cwd: dir });
  await git.ok(['commit', '--quiet', '-m', 'A change'], { cwd: dir });
  const push = await git.run(['push', '--quiet', 'origin', 'main'], { cwd: dir, env });
  if (push.code !== 0) throw new Error(`push failed: ${push.stderr}`);
  return { sha: await git.ok(['rev-parse', 'HEAD'], { cwd: dir }), stderr: push.stderr };
}

const pushNewCommit = async (slug: string) => (await pushCommit(slug, `change ${Date.now()}\n`)).sha;

const mainOf = async (gitDir: string) => (await headsOf(git, gitDir))['refs/heads/main'];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'git-http-'));
  world = await startTopology({
    primary: { ssh: false },
    mirrors: [{ name: 'near' }, { name: 'frozen', frozen: true }, { name: 'lagged', syncLagMs: 1_500 }],
    projects: [
      {
        key: 'PROJ',
        repos: [
          { slug: 'app', branches: ['develop'], tags: ['v1.0'] },
          { slug: 'sync' },
          // Many refs make git's fetch request bigger than 1 KB, which git sends gzip-encoded.
          { slug: 'many', branches: Array.from({ length: 60 }, (_, i) => `feature/topic-${i}`) },
        ],
      },
    ],
  });
  git = await createGitClient({ workDir: join(workDir, 'with-password'), credentials: { user: world.credentials.user, password: world.credentials.password } });
  anonymous = await createGitClient({ workDir: join(workDir, 'anonymous') });
});

afterAll(async () => {
  await world?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('the primary', () => {
  it('clones with Basic user:password from GIT_ASKPASS, and keeps credentials out of the remote URL', async () => {
    const dir = freshDir();
    const repo = world.repo('PROJ', 'app');
    await git.ok(['clone', '--quiet', '--', repo.httpUrl, dir]);
    expect(await git.ok(['rev-parse', 'HEAD'], { cwd: dir })).toBe(await mainOf(repo.diskPath));
    expect(await git.ok(['branch', '-r'], { cwd: dir })).toContain('origin/develop');
    expect(await git.ok(['tag'], { cwd: dir })).toBe('v1.0');
    expect(await git.ok(['config', 'remote.origin.url'], { cwd: dir })).toBe(repo.httpUrl);
  });

  it('clones with the access token as Basic password and as a Bearer header', async () => {
    const repo = world.repo('PROJ', 'app');
    const withToken = await createGitClient({ workDir: join(workDir, 'token'), credentials: { user: world.credentials.user, password: world.credentials.token } });
    await withToken.ok(['clone', '--quiet', '--', repo.httpUrl, freshDir()]);
    // The header reaches git through GIT_CONFIG_* variables, not argv.
    const headerEnv = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Bearer ${world.credentials.token}` };
    await anonymous.ok(['clone', '--quiet', '--', repo.httpUrl, freshDir()], { env: headerEnv });
  });

  it('refuses a clone without or with wrong credentials, challenging for Basic auth', async () => {
    const repo = world.repo('PROJ', 'app');
    const refused = await anonymous.run(['clone', '--quiet', '--', repo.httpUrl, freshDir()]);
    expect(refused.code).not.toBe(0);
    const wrong = await createGitClient({ workDir: join(workDir, 'wrong'), credentials: { user: world.credentials.user, password: 'wrong' } });
    const denied = await wrong.run(['clone', '--quiet', '--', repo.httpUrl, freshDir()]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/Authentication failed/);
    const response = await fetch(`${repo.httpUrl}/info/refs?service=git-upload-pack`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Atlassian Bitbucket"');
  });

  it('accepts a push, including a pack over 1 MB that git streams chunked', async () => {
    const repo = world.repo('PROJ', 'app');
    const trace = { GIT_TRACE_CURL: '1', GIT_TRACE_CURL_NO_DATA: '1' };
    const { sha, stderr } = await pushCommit('app', randomBytes(3 * 1024 * 1024), trace);
    expect(stderr).toMatch(/Send header: Transfer-Encoding: chunked/);
    expect(await mainOf(repo.diskPath)).toBe(sha);
  });

  it('rate-limits Git over HTTP per user with 429 and Retry-After', async () => {
    const url = `${world.repo('PROJ', 'app').httpUrl}/info/refs?service=git-upload-pack`;
    const headers = { Authorization: `Bearer ${world.credentials.token}` };
    world.setRateLimit({ capacity: 1, refillPerSecond: 0.1 });
    try {
      const first = await fetch(url, { headers });
      await first.arrayBuffer();
      expect(first.status).toBe(200);
      const second = await fetch(url, { headers });
      await second.arrayBuffer();
      expect(second.status).toBe(429);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      world.setRateLimit(null);
    }
  });

  it('answers a fetch whose request body git gzip-compressed', async () => {
    const dir = freshDir();
    const result = await git.run(['clone', '--', world.repo('PROJ', 'many').httpUrl, dir], { env: { GIT_TRACE_CURL: '1', GIT_TRACE_CURL_NO_DATA: '1' } });
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stderr).toMatch(/Send header: Content-Encoding: gzip/);
    expect((await git.ok(['branch', '-r'], { cwd: dir })).split('\n').length).toBeGreaterThan(60);
  });
});

describe('a mirror', () => {
  it('serves clones to the same credentials as the primary, read-only', async () => {
    const repo = world.repo('PROJ', 'app');
    const dir = freshDir();
    await git.ok(['clone', '--quiet', '--', repo.mirrorHttpUrl('near'), dir]);
    expect(await git.ok(['rev-parse', 'HEAD'], { cwd: dir })).toBe(await mainOf(repo.mirrorDiskPath('near')));
    expect((await anonymous.run(['clone', '--quiet', '--', repo.mirrorHttpUrl('near'), freshDir()])).code).not.toBe(0);

    await writeFile(join(dir, 'mirror-push.txt'), 'should not land\n');
    await git.ok(['add', '.'], { cwd: dir });
    await git.ok(['commit', '--quiet', '-m', 'Push to a mirror'], { cwd: dir });
    const before = await mainOf(repo.mirrorDiskPath('near'));
    const push = await git.run(['push', 'origin', 'main'], { cwd: dir });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/403/);
    expect(await mainOf(repo.mirrorDiskPath('near'))).toBe(before);
  });

  it('allows anonymous clones only when switched to', async () => {
    const url = world.repo('PROJ', 'app').mirrorHttpUrl('near');
    world.setMirrorAnonymousGit('near', true);
    try {
      await anonymous.ok(['clone', '--quiet', '--', url, freshDir()]);
    } finally {
      world.setMirrorAnonymousGit('near', false);
    }
  });

  it('serves nothing while the repository is not available on it', async () => {
    world.setRepoStatusOnMirror('near', 'PROJ', 'app', 'INITIALIZING');
    try {
      const result = await git.run(['clone', '--quiet', '--', world.repo('PROJ', 'app').mirrorHttpUrl('near'), freshDir()]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/not found/);
    } finally {
      world.setRepoStatusOnMirror('near', 'PROJ', 'app', 'AVAILABLE');
    }
  });
});

describe('mirror lag', () => {
  it('syncs an auto mirror soon after a push, a lagged one later, and a frozen one only on syncNow', async () => {
    const repo = world.repo('PROJ', 'sync');
    const before = await mainOf(repo.diskPath);
    const pushedAt = Date.now();
    const sha = await pushNewCommit('sync');
    expect(sha).not.toBe(before);

    await eventually(async () => (await mainOf(repo.mirrorDiskPath('near'))) === sha, 5_000);
    if (Date.now() - pushedAt < 1_200) expect(await mainOf(repo.mirrorDiskPath('lagged'))).toBe(before);
    await eventually(async () => (await mainOf(repo.mirrorDiskPath('lagged'))) === sha, 8_000);
    expect(Date.now() - pushedAt).toBeGreaterThanOrEqual(1_500);

    // The frozen mirror is behind, and a client cloning from it sees the old head.
    expect(await mainOf(repo.mirrorDiskPath('frozen'))).toBe(before);
    const dir = freshDir();
    await git.ok(['clone', '--quiet', '--', repo.mirrorHttpUrl('frozen'), dir]);
    expect(await git.ok(['rev-parse', 'HEAD'], { cwd: dir })).toBe(before);

    await world.syncNow('frozen');
    expect(await mainOf(repo.mirrorDiskPath('frozen'))).toBe(sha);
    await git.ok(['fetch', '--quiet', 'origin'], { cwd: dir });
    expect(await git.ok(['rev-parse', 'origin/main'], { cwd: dir })).toBe(sha);
  });
});

describe('under a context path', () => {
  let world9: Topology;
  beforeAll(async () => {
    world9 = await startTopology({ version: '9.4.0', contextPath: '/bitbucket', primary: { ssh: false }, mirrors: [{ name: 'm' }], projects: [{ key: 'CTX', repos: [{ slug: 'repo' }] }] });
  });
  afterAll(async () => {
    await world9?.stop();
  });

  it('serves clones below the context path on the primary and on mirrors, and nothing outside it', async () => {
    const repo = world9.repo('CTX', 'repo');
    expect(repo.httpUrl).toBe(`${world9.primary.baseUrl}/scm/ctx/repo.git`);
    expect(repo.httpUrl).toContain('/bitbucket/scm/');
    const client = await createGitClient({ workDir: join(workDir, 'ctx'), credentials: { user: world9.credentials.user, password: world9.credentials.password } });
    await client.ok(['clone', '--quiet', '--', repo.httpUrl, freshDir()]);
    await client.ok(['clone', '--quiet', '--', repo.mirrorHttpUrl('m'), freshDir()]);
    const outside = await client.run(['ls-remote', '--', repo.httpUrl.replace('/bitbucket/', '/')]);
    expect(outside.code).not.toBe(0);
  });
});
