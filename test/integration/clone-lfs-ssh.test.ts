/**
 * An SSH clone of a repository with Git LFS files: Git goes over SSH, LFS over HTTP(S) as
 * Bitbucket serves it, so the clone gets the HTTP endpoints written out and the primary's HTTP
 * credential (through our credential helper later, through the environment during the clone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { setUpSshUser, type SshUser } from '../support/ssh-keys';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { git, gitConfig } from '../support/git';
import { cloneAndWait } from '../support/clone-job';

const run = promisify(execFile);
const MB = 1024 * 1024;
let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let sshUser: SshUser | undefined;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 15 }, mirrors: [{ name: 'near', delayMs: 1 }, { name: 'other', delayMs: 3 }], projects: [{ key: 'MEDIA', repos: [{ slug: 'assets', lfsBytes: 2 * MB, lfsFiles: 2 }] }] }),
    makeTempDir('clone-lfs-ssh'),
  ]);
  sshUser = await setUpSshUser(topology, workspace.path, [topology.primary, topology.mirrors.near!, topology.mirrors.other!].map((instance) => instance.ssh!.knownHostsLine));
  const { knownHosts } = sshUser;
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, knownHostsFile: knownHosts, cloneRetry: { attemptsPerSource: 1, backoff: { baseMs: 10, maxMs: 10, jitter: 0 } } });
});

afterAll(async () => {
  sshUser?.restore();
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe('an SSH clone of a repository with LFS files', () => {
  it('fetches the large files over HTTP from the same mirror, and keeps LFS pushes on the primary', async () => {
    const parent = path.join(workspace.path, 'ssh');
    await mkdir(parent);
    const job = await cloneAndWait(helper.client, { repository: 'MEDIA/assets', parentDirectory: parent, primary: topology.primary.baseUrl, protocol: 'ssh', source: 'near' });
    expect(job.state, JSON.stringify([job.error, job.attempts])).toBe('done');
    const repo = topology.repo('MEDIA', 'assets');
    const clone = job.result!.path;
    expect(await gitConfig(clone, 'remote.origin.url')).toBe(repo.mirrorSshUrl('near'));
    expect(await gitConfig(clone, 'remote.origin.lfsurl')).toBe(`${repo.mirrorHttpUrl('near')}/info/lfs`);
    expect(await gitConfig(clone, 'remote.origin.lfspushurl')).toBe(`${repo.httpUrl}/info/lfs`);
    for (const file of topology.lfs.files('MEDIA', 'assets')) expect(await sha256(path.join(clone, file.path))).toBe(file.oid);
    expect(job.result!.largeFiles).toMatchObject({ state: 'fetched', servedBy: [{ name: 'near', files: 2 }] });

    // The mirror got the primary's token (it delegates authentication), over HTTP only.
    const lfsRequests = topology.state.requestLog.filter((entry) => entry.path.includes('/info/lfs/'));
    expect(lfsRequests.length).toBeGreaterThan(0);
    expect(lfsRequests.every((entry) => entry.instance === 'near' && entry.authorization !== undefined)).toBe(true);
    // Later LFS requests ask our credential helper, configured for the HTTP origins; no secret on disk.
    const config = await readFile(path.join(clone, '.git', 'config'), 'utf8');
    expect(config).toMatch(/\[credential "http:\/\/127\.0\.0\.1:\d+"\]/);
    expect(config).not.toContain(topology.credentials.token);

    const content = Buffer.alloc(100_000, 9);
    await writeFile(path.join(clone, 'media', 'over-ssh.bin'), content);
    await git(clone, 'add', 'media/over-ssh.bin');
    await git(clone, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'An asset pushed over SSH');
    topology.lfs.clearLog();
    const origin = new URL(topology.primary.baseUrl).origin;
    await run('git', ['-C', clone, '-c', `http.${origin}/.extraHeader=Authorization: Bearer ${topology.credentials.token}`, 'push', '-q', 'origin', 'HEAD:main'], {
      env: { ...process.env, GIT_SSH_COMMAND: `${process.env.GIT_SSH_COMMAND} -o BatchMode=yes` },
    });
    expect(await git(repo.diskPath, 'rev-parse', 'refs/heads/main')).toBe(await git(clone, 'rev-parse', 'HEAD'));
    expect(await topology.lfs.objects('primary', 'MEDIA', 'assets')).toContain(createHash('sha256').update(content).digest('hex'));
    expect(topology.lfs.log.every((entry) => entry.instance === 'primary')).toBe(true);
  }, 60_000);

  it('a switch to another mirror moves the LFS endpoint with it', async () => {
    const repo = topology.repo('MEDIA', 'assets');
    const clone = path.join(workspace.path, 'ssh', 'assets');
    const result = await helper.client.call('clones.switch', { path: clone, source: 'other' });
    expect(result).toMatchObject({ changed: true, to: { name: 'other' } });
    expect(await gitConfig(clone, 'remote.origin.url')).toBe(repo.mirrorSshUrl('other'));
    expect(await gitConfig(clone, 'remote.origin.lfsurl')).toBe(`${repo.mirrorHttpUrl('other')}/info/lfs`);
    expect(await gitConfig(clone, 'remote.origin.lfspushurl')).toBe(`${repo.httpUrl}/info/lfs`);
  }, 60_000);
});
