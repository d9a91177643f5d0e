/**
 * Local mirrors and Git LFS: a local mirror keeps the LFS objects of its default branch (counted
 * in its size), and a later clone of the repository borrows them from disk, so no large file
 * travels again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, readFile } from 'node:fs/promises';
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
    { primary: { delayMs: 20 }, mirrors: [{ name: 'near', delayMs: 1 }], projects: [{ key: 'MEDIA', repos: [{ slug: 'assets', lfsBytes: 4 * MB, lfsFiles: 4 }] }] },
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
