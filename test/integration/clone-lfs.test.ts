/**
 * A clone of a repository with Git LFS files, against real git, real git-lfs and the emulator:
 * large files come from the clone's mirror, what it lacks from the primary, the work tree holds
 * real contents, a plain `git push` of a new LFS file lands on the primary only, the LFS phase
 * reports progress, and no credential follows a download link to a server the primary does not vouch for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCloneWorld, oneNetwork, type CloneWorld } from '../support/clone-world';
import { cloneAndWait } from '../support/clone-job';
import { git, gitConfig } from '../support/git';
import type { GitProgressData } from '../../shared/contract';

const MB = 1024 * 1024;
let world: CloneWorld;
let rogue: Server;
let rogueRequests: { url: string; authorization?: string }[] = [];
let rogueBase: string;

beforeAll(async () => {
  world = await startCloneWorld(
    {
      primary: { delayMs: 20 },
      mirrors: [{ name: 'near', delayMs: 1, lfs: 'error' }, { name: 'other', delayMs: 30 }, { name: 'lagging', delayMs: 1, frozen: true }],
      // assets: only on near, so what near lacks comes from the primary.
      projects: [{ key: 'MEDIA', repos: [{ slug: 'assets', lfsBytes: 3 * MB, lfsFiles: 3, mirroredOn: ['near'] }, { slug: 'textures', lfsBytes: 2 * MB, lfsFiles: 2, mirroredOn: ['near', 'other'] }, { slug: 'lagged', lfsBytes: 1 * MB, lfsFiles: 1, mirroredOn: ['lagging'] }] }],
    },
    { name: 'clone-lfs', helper: () => ({ options: { ...oneNetwork, cloneRetry: { attemptsPerSource: 1, backoff: { baseMs: 10, maxMs: 10, jitter: 0 } } } }) },
  );
  // A server no one vouches for: it records what reaches it and has no objects.
  rogue = createServer((req, res) => {
    rogueRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(404, { 'Content-Type': 'application/vnd.git-lfs+json' });
    res.end('{"message":"not here"}');
  });
  await new Promise<void>((resolve) => rogue.listen(0, '127.0.0.1', resolve));
  rogueBase = `http://127.0.0.1:${(rogue.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (rogue ? rogue.close(() => resolve()) : resolve()));
  await world?.stop();
});

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('a clone of a repository with LFS files', () => {
  let clonePath: string;
  const progress: GitProgressData[] = [];

  it('downloads from the clone mirror what it holds, the rest from the primary, with progress as a phase', async () => {
    const { topology } = world;
    const files = topology.lfs.files('MEDIA', 'assets');
    await topology.lfs.copyToMirror('near', 'MEDIA', 'assets', [files[0]!.oid, files[1]!.oid]);
    const off = world.helper.client.on('clone.progress', ({ progress: value }) => {
      if (value.phase === 'large-files') progress.push(value);
    });
    const parent = path.join(world.workspace, 'mirror');
    await mkdir(parent);
    const job = await cloneAndWait(world.helper.client, { repository: 'MEDIA/assets', primary: topology.primary.baseUrl, parentDirectory: parent, source: 'near' });
    off();
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    clonePath = job.result!.path;

    for (const file of files) expect(await sha256(path.join(clonePath, file.path))).toBe(file.oid);
    expect(job.result!.largeFiles).toMatchObject({ files: 3, bytes: 3 * MB, state: 'fetched', servedBy: [{ name: 'near', files: 2 }, { name: expect.any(String), files: 1 }], missing: [] });
    const downloads = topology.lfs.log.filter((entry) => entry.operation === 'download' && entry.status === 200);
    expect(downloads.filter((entry) => entry.instance === 'near').flatMap((entry) => entry.oids).sort()).toEqual([files[0]!.oid, files[1]!.oid].sort());
    expect(downloads.filter((entry) => entry.instance === 'primary').flatMap((entry) => entry.oids)).toEqual([files[2]!.oid]);

    // git-lfs names its bytes in the phase's own figures; the last report has them all.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((value) => value.expectedBytes === 3 * MB)).toBe(true);
    expect(Math.max(...progress.map((value) => value.receivedBytes ?? 0))).toBe(3 * MB);
  });

  it('keeps LFS pushes and locks on the primary and no credential in the clone', async () => {
    const { topology } = world;
    const repo = topology.repo('MEDIA', 'assets');
    expect(await gitConfig(clonePath, 'remote.origin.url')).toBe(repo.mirrorHttpUrl('near'));
    expect(await gitConfig(clonePath, 'remote.origin.lfspushurl')).toBe(`${repo.httpUrl}/info/lfs`);
    const config = await readFile(path.join(clonePath, '.git', 'config'), 'utf8');
    expect(config).not.toContain(topology.credentials.token);
    expect(config).toContain('[filter "lfs"]');
  });

  it('a plain git push of a new LFS file lands on the primary and uploads nothing to a mirror', async () => {
    const { topology } = world;
    const content = Buffer.alloc(300_000, 3);
    const oid = createHash('sha256').update(content).digest('hex');
    await writeFile(path.join(clonePath, 'media', 'pushed.bin'), content);
    await git(clonePath, 'add', 'media/pushed.bin');
    expect(await git(clonePath, 'show', ':media/pushed.bin')).toContain(`oid sha256:${oid}`);
    await git(clonePath, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'A new asset');
    topology.lfs.clearLog();
    // The keychain-backed credential helper is tested elsewhere; here the token rides for the primary's origin only.
    const origin = new URL(topology.primary.baseUrl).origin;
    await git(clonePath, '-c', `http.${origin}/.extraHeader=Authorization: Bearer ${topology.credentials.token}`, 'push', '--quiet', 'origin', 'HEAD:main');
    expect(await topology.lfs.objects('primary', 'MEDIA', 'assets')).toContain(oid);
    const mirrorWork = topology.lfs.log.filter((entry) => entry.instance !== 'primary');
    expect(mirrorWork).toEqual([]);
    expect(topology.lfs.log.some((entry) => entry.operation === 'upload' && entry.oids.includes(oid))).toBe(true);
    expect(await topology.lfs.objects('near', 'MEDIA', 'assets')).not.toContain(oid);
  });

  it('sends no credential to a download link on a server the primary does not vouch for, and gets the object elsewhere', async () => {
    const { topology } = world;
    topology.lfs.setActionBase('other', rogueBase);
    rogueRequests = [];
    try {
      const parent = path.join(world.workspace, 'rogue');
      await mkdir(parent);
      const job = await cloneAndWait(world.helper.client, { repository: 'MEDIA/textures', primary: topology.primary.baseUrl, parentDirectory: parent, source: 'other' });
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      expect(rogueRequests.length).toBeGreaterThan(0);
      expect(rogueRequests.every((request) => request.authorization === undefined)).toBe(true);
      for (const file of topology.lfs.files('MEDIA', 'textures')) expect(await sha256(path.join(job.result!.path, file.path))).toBe(file.oid);
      expect(job.result!.largeFiles?.servedBy.map((entry) => entry.name)).not.toContain('other');
    } finally {
      topology.lfs.setActionBase('other', undefined);
    }
  });

  it('after a top-up from the primary, the large files of the checked-out commit are there too', async () => {
    const { topology } = world;
    const repo = topology.repo('MEDIA', 'lagged');
    // A new LFS file lands on the primary; the frozen mirror does not have the commit.
    const pusher = path.join(world.workspace, 'lagged-pusher');
    const origin = new URL(topology.primary.baseUrl).origin;
    const auth = ['-c', `http.${origin}/.extraHeader=Authorization: Bearer ${topology.credentials.token}`];
    await git(world.workspace, ...auth, 'clone', '--quiet', '--', repo.httpUrl, pusher);
    await git(pusher, 'lfs', 'install', '--local');
    const content = Buffer.alloc(150_000, 5);
    await writeFile(path.join(pusher, 'media', 'newer.bin'), content);
    await git(pusher, 'add', 'media/newer.bin');
    await git(pusher, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'A newer asset');
    await git(pusher, ...auth, 'push', '--quiet', 'origin', 'HEAD:main');

    const parent = path.join(world.workspace, 'lagged');
    await mkdir(parent);
    const job = await cloneAndWait(world.helper.client, { repository: 'MEDIA/lagged', primary: topology.primary.baseUrl, parentDirectory: parent, source: 'lagging' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.toppedUpFromPrimary).toContain('refs/heads/main');
    const clone = job.result!.path;
    expect(await readFile(path.join(clone, 'media', 'newer.bin'))).toEqual(content);
    for (const file of topology.lfs.files('MEDIA', 'lagged')) expect(await sha256(path.join(clone, file.path))).toBe(file.oid);
    expect(job.result!.largeFiles).toMatchObject({ files: 2, state: 'fetched' });
    expect(await git(clone, 'status', '--porcelain')).toBe('');
  });
});
