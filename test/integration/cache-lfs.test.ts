/**
 * Local mirrors and Git LFS: a local mirror keeps the LFS objects of its default branch (counted
 * in its size), or with the setting of every branch, and a later clone of the repository borrows
 * them from disk, so no large file travels again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCloneWorld, oneNetwork, type CloneWorld } from '../support/clone-world';
import { cloneAndWait } from '../support/clone-job';
import { git } from '../support/git';
import { serveCredentialConfig } from '../../electron/helper/cache/serve-access';
import { secretFile } from '../../electron/helper/cache/serve-secret';
import { lfsObjectPath } from '../../electron/helper/lfs/local-mirror-files';

const run = promisify(execFile);
const MB = 1024 * 1024;
let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld(
    { primary: { delayMs: 20 }, mirrors: [{ name: 'near', delayMs: 1 }], projects: [{ key: 'MEDIA', repos: [{ slug: 'assets', lfsBytes: 4 * MB, lfsFiles: 4 }, { slug: 'sides', lfsBytes: 256 * 1024, lfsFiles: 1 }] }] },
    { name: 'cache-lfs', helper: () => ({ options: oneNetwork }) },
  );
});

afterAll(async () => {
  await world?.stop();
});

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('a local mirror of a repository with LFS files', () => {
  it('keeps the large files of its default branch, and counts them in its size', async () => {
    const { topology } = world;
    const mirror = await world.helper.client.call('cache.add', { repository: 'MEDIA/assets', primary: topology.primary.baseUrl });
    expect(mirror).toMatchObject({ state: 'ready', source: { name: 'near' } });
    for (const file of topology.lfs.files('MEDIA', 'assets')) expect(existsSync(lfsObjectPath(path.join(mirror.path, 'lfs', 'objects'), file.oid))).toBe(true);
    expect(topology.lfs.log.filter((entry) => entry.operation === 'download').every((entry) => entry.instance === 'near')).toBe(true);
    const [listed] = await world.helper.client.call('cache.list', {});
    expect(listed!.sizeBytes).toBeGreaterThan(4 * MB);
  });

  it('a later clone borrows them from disk: no large file travels', async () => {
    const { topology } = world;
    topology.lfs.clearLog();
    const parent = path.join(world.workspace, 'second');
    await mkdir(parent);
    const job = await cloneAndWait(world.helper.client, { repository: 'MEDIA/assets', primary: topology.primary.baseUrl, parentDirectory: parent, source: 'near' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.largeFiles).toMatchObject({ files: 4, state: 'fetched', servedBy: [{ name: 'local mirror', files: 4 }] });
    expect(topology.lfs.log.filter((entry) => entry.operation === 'download')).toEqual([]);
    for (const file of topology.lfs.files('MEDIA', 'assets')) expect(await sha256(path.join(job.result!.path, file.path))).toBe(file.oid);
    expect(await git(job.result!.path, 'status', '--porcelain')).toBe('');
  });

  it('the local mirror server hands the large files to a plain git clone of it', async () => {
    const { topology } = world;
    const served = await world.helper.client.call('cache.serve', {});
    topology.lfs.clearLog();
    const target = path.join(world.workspace, 'from-local-server');
    const env = { ...process.env, MIRROR_CLONE_HOME: world.helper.dataDir, GIT_TERMINAL_PROMPT: '0' };
    const credentials = serveCredentialConfig(served.port, served.credentialHelper).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
    // git-lfs (configured system-wide here) fetches each file from the local server as git checks it out.
    await run('git', [...credentials, 'clone', '-q', served.mirrors[0]!.url, target], { env });
    await run('git', [...credentials, 'lfs', 'pull'], { cwd: target, env });
    for (const file of topology.lfs.files('MEDIA', 'assets')) expect(await sha256(path.join(target, file.path))).toBe(file.oid);
    expect(topology.lfs.log).toEqual([]);
  });

  it('answers a malformed or hostile request to its LFS API with the error it is, and serves an object from a byte offset', async () => {
    const { topology } = world;
    const served = await world.helper.client.call('cache.serve', {});
    const secret = (await readFile(secretFile(world.helper.dataDir), 'utf8')).trim();
    const base = `${served.mirrors[0]!.url}/info/lfs/objects`;
    const headers = { Authorization: `Basic ${Buffer.from(`anyone:${secret}`).toString('base64')}`, 'Content-Type': 'application/vnd.git-lfs+json' };
    const batch = (body: string) => fetch(`${base}/batch`, { method: 'POST', headers, body });
    const [held] = topology.lfs.files('MEDIA', 'assets');

    expect((await batch('{"operation":')).status).toBe(422);
    for (const notAnObject of ['null', '[]', '7', '"download"']) expect((await batch(notAnObject)).status, notAnObject).toBe(422);
    expect((await batch('{"operation":"download","objects":{}}')).status).toBe(422);
    expect((await batch(JSON.stringify({ operation: 'upload', objects: [{ oid: held!.oid, size: held!.size }] }))).status).toBe(403);

    const answer = await batch(
      JSON.stringify({ operation: 'download', objects: [{ oid: held!.oid, size: held!.size }, { oid: '../../../etc/passwd', size: 1 }, { oid: held!.oid, size: held!.size + 1 }, { oid: 'a'.repeat(64), size: 1 }] }),
    );
    expect(answer.status).toBe(200);
    const { objects } = (await answer.json()) as { objects: Array<{ actions?: { download: { href: string } }; error?: { code: number } }> };
    expect(objects.map((object) => object.error?.code ?? 200)).toEqual([200, 422, 404, 404]);

    const from = held!.size - 10;
    const tail = await fetch(objects[0]!.actions!.download.href, { headers: { ...headers, Range: `bytes=${from}-` } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${from}-${held!.size - 1}/${held!.size}`);
    const whole = await readFile(lfsObjectPath(path.join((await world.helper.client.call('cache.list', {}))[0]!.path, 'lfs', 'objects'), held!.oid));
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(from))).toBe(true);
    const pastTheEnd = await fetch(`${base}/${held!.oid}`, { headers: { ...headers, Range: `bytes=${held!.size}-` } });
    expect(pastTheEnd.status).toBe(416);
    expect(pastTheEnd.headers.get('content-range')).toBe(`bytes */${held!.size}`);
    await pastTheEnd.body?.cancel();
    expect((await fetch(`${base}/${'b'.repeat(64)}`, { headers })).status).toBe(404);
    expect((await fetch(`${base}/${held!.oid}`, { method: 'POST', headers, body: '' })).status).toBe(405);
  });
});

describe('large files of every branch, a setting', () => {
  it('keeps a file that only a side branch has, and the quota counts it; with the default branch only, it is not kept', async () => {
    const { topology } = world;
    const repo = topology.repo('MEDIA', 'sides');
    // A large file only on a side branch, pushed to the primary as a person would (git-lfs uploads it there).
    const pusher = path.join(world.workspace, 'sides-pusher');
    const origin = new URL(topology.primary.baseUrl).origin;
    const auth = ['-c', `http.${origin}/.extraHeader=Authorization: Bearer ${topology.credentials.token}`];
    await git(world.workspace, ...auth, 'clone', '--quiet', '--', repo.httpUrl, pusher);
    await git(pusher, 'lfs', 'install', '--local');
    await git(pusher, 'checkout', '-q', '-b', 'side');
    const content = Buffer.alloc(300_000, 7);
    const oid = createHash('sha256').update(content).digest('hex');
    await writeFile(path.join(pusher, 'media', 'side-only.bin'), content);
    await git(pusher, 'add', 'media/side-only.bin');
    await git(pusher, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'An asset on a side branch');
    await git(pusher, ...auth, 'push', '--quiet', 'origin', 'side');
    const [defaultFile] = topology.lfs.files('MEDIA', 'sides');
    const held = (mirrorPath: string, object: string) => existsSync(lfsObjectPath(path.join(mirrorPath, 'lfs', 'objects'), object));
    const sizeOf = async (id: string) => (await world.helper.client.call('cache.list', {})).find((entry) => entry.id === id)!.sizeBytes!;

    expect((await world.helper.client.call('settings.get', {})).localMirrorLargeFiles).toBe('default-branch');
    const mirror = await world.helper.client.call('cache.add', { repository: 'MEDIA/sides', primary: topology.primary.baseUrl });
    expect(mirror.state).toBe('ready');
    expect(await git(mirror.path, 'rev-parse', '--verify', '--quiet', 'refs/heads/side')).toMatch(/^[0-9a-f]{40}$/);
    expect(held(mirror.path, defaultFile!.oid)).toBe(true);
    expect(held(mirror.path, oid)).toBe(false);
    const before = await sizeOf(mirror.id);

    expect((await world.helper.client.call('settings.update', { localMirrorLargeFiles: 'all-branches' })).localMirrorLargeFiles).toBe('all-branches');
    try {
      const [synced] = await world.helper.client.call('cache.sync', { id: mirror.id });
      expect(synced!.state).toBe('ready');
      expect(held(mirror.path, oid)).toBe(true);
      expect(await sha256(lfsObjectPath(path.join(mirror.path, 'lfs', 'objects'), oid))).toBe(oid);
      expect(held(mirror.path, defaultFile!.oid)).toBe(true);
      expect(await sizeOf(mirror.id)).toBeGreaterThanOrEqual(before + content.length);
    } finally {
      await world.helper.client.call('settings.update', { localMirrorLargeFiles: 'default-branch' });
    }
  });
});
