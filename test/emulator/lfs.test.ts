/**
 * The emulator's Git LFS API against real git and git-lfs: a mirror hands out objects it
 * streams from the primary (and keeps), refuses what it lacks when switched to, never accepts
 * uploads; the primary takes a push; credentials are checked as for Git over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const MB = 1024 * 1024;

let world: Topology;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [world, workspace] = await Promise.all([
    startTopology({
      mirrors: [{ name: 'near' }, { name: 'strict', lfs: 'error' }],
      projects: [{ key: 'MEDIA', repos: [{ slug: 'assets', lfsBytes: 3 * MB, lfsFiles: 3 }] }],
    }),
    makeTempDir('emulator-lfs'),
  ]);
});

afterAll(async () => {
  await world?.stop();
  await workspace?.cleanup();
});

/** Git with the token for every request (git and git-lfs read GIT_CONFIG_*), nothing from global config. */
function gitEnv(token = world.credentials.token): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: workspace.path,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_LFS_SKIP_SMUDGE: '1',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Bearer ${token}`,
  };
}

async function git(cwd: string, args: string[], env = gitEnv()): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('git', args, { cwd, env, maxBuffer: 16 * MB });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code: typeof failed.code === 'number' ? failed.code : 1 };
  }
}

async function cloneFrom(url: string, name: string): Promise<string> {
  const target = path.join(workspace.path, name);
  const cloned = await git(workspace.path, ['clone', '--quiet', '--', url, target]);
  expect(cloned.stderr).toBe('');
  // git-lfs checks files out only where its filter is configured (here: the clone's own config).
  expect((await git(target, ['lfs', 'install', '--local'])).code).toBe(0);
  return target;
}

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('the LFS batch API', () => {
  it('a mirror streams the objects it lacks from the primary, keeps them, and serves them itself next time', async () => {
    const repo = world.repo('MEDIA', 'assets');
    const files = world.lfs.files('MEDIA', 'assets');
    expect(files).toHaveLength(3);
    expect(await world.lfs.objects('near', 'MEDIA', 'assets')).toEqual([]);

    const first = await cloneFrom(repo.mirrorHttpUrl('near'), 'first');
    expect(await readFile(path.join(first, files[0]!.path), 'utf8')).toContain('oid sha256:');
    const pulled = await git(first, ['lfs', 'pull']);
    expect(pulled.code, pulled.stderr).toBe(0);
    for (const file of files) expect(await sha256(path.join(first, file.path))).toBe(file.oid);
    const downloads = world.lfs.log.filter((e) => e.operation === 'download');
    expect(downloads.map((e) => e.instance)).toEqual(['near', 'near', 'near']);
    expect(downloads.every((e) => e.streamedFromPrimary)).toBe(true);
    expect(await world.lfs.objects('near', 'MEDIA', 'assets')).toEqual(files.map((f) => f.oid).sort());

    world.lfs.clearLog();
    const second = await cloneFrom(repo.mirrorHttpUrl('near'), 'second');
    expect((await git(second, ['lfs', 'pull'])).code).toBe(0);
    const again = world.lfs.log.filter((e) => e.operation === 'download');
    expect(again).toHaveLength(3);
    expect(again.some((e) => e.streamedFromPrimary)).toBe(false);
  });

  it('a mirror switched to errors refuses what it lacks object by object, and serves what it has', async () => {
    const repo = world.repo('MEDIA', 'assets');
    const files = world.lfs.files('MEDIA', 'assets');
    await world.lfs.copyToMirror('strict', 'MEDIA', 'assets', [files[0]!.oid]);
    world.lfs.clearLog();
    const clone = await cloneFrom(repo.mirrorHttpUrl('strict'), 'strict');
    const pulled = await git(clone, ['lfs', 'pull']);
    expect(pulled.code).not.toBe(0);
    const batch = world.lfs.log.find((e) => e.operation === 'batch-download');
    expect(batch?.refused?.sort()).toEqual([files[1]!.oid, files[2]!.oid].sort());
    expect(await sha256(path.join(clone, files[0]!.path))).toBe(files[0]!.oid);
    expect(await readFile(path.join(clone, files[1]!.path), 'utf8')).toContain(`oid sha256:${files[1]!.oid}`);
    expect(await world.lfs.objects('strict', 'MEDIA', 'assets')).toEqual([files[0]!.oid]);
  });

  it('a push uploads a new object to the primary; a mirror accepts no upload', async () => {
    const repo = world.repo('MEDIA', 'assets');
    const clone = await cloneFrom(repo.httpUrl, 'pusher');
    await writeFile(path.join(clone, 'media', 'new.bin'), Buffer.alloc(200_000, 7));
    await git(clone, ['add', 'media/new.bin']);
    await git(clone, ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'A new asset']);
    const oid = createHash('sha256').update(Buffer.alloc(200_000, 7)).digest('hex');

    world.lfs.clearLog();
    const refused = await git(clone, ['push', '--quiet', repo.mirrorHttpUrl('near'), 'HEAD:main']);
    expect(refused.code).not.toBe(0);
    expect(await world.lfs.objects('near', 'MEDIA', 'assets')).not.toContain(oid);

    const pushed = await git(clone, ['push', '--quiet', 'origin', 'HEAD:main']);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(await world.lfs.objects('primary', 'MEDIA', 'assets')).toContain(oid);
    expect(world.lfs.log.filter((e) => e.operation === 'upload' && e.status === 200).map((e) => e.instance)).toEqual(['primary']);
  });

  it('answers 401 without credentials or with a wrong token, like Git over HTTP', async () => {
    const url = `${world.repo('MEDIA', 'assets').mirrorHttpUrl('near')}/info/lfs/objects/batch`;
    const body = JSON.stringify({ operation: 'download', transfers: ['basic'], objects: [] });
    const headers = { 'Content-Type': 'application/vnd.git-lfs+json', Accept: 'application/vnd.git-lfs+json' };
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { ...headers, Authorization: 'Bearer BBDC-wrong' }, body })).status).toBe(401);
    expect((await fetch(url, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${world.credentials.token}` }, body })).status).toBe(200);
  });
});
