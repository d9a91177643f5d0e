/**
 * Cloning over SSH from the closest mirror with the user's own key, pushing over SSH to the
 * primary, and a clear refusal when a server's host key is not known yet (never a silent accept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { setUpSshUser, type SshUser } from '../support/ssh-keys';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { git, gitConfig } from '../support/git';
import type { UnknownHostKey } from '../../shared/contract';
import { cloneAndWait } from '../support/clone-job';

const run = promisify(execFile);
let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let knownHosts: string;
let sshUser: SshUser | undefined;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 15 }, mirrors: [{ name: 'near', delayMs: 1 }, { name: 'mid', delayMs: 6 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }),
    makeTempDir('clone-ssh'),
  ]);
  // The user's own ssh setup, as GIT_SSH_COMMAND would carry it; the helper adds its safety options.
  sshUser = await setUpSshUser(topology, workspace.path);
  ({ knownHosts } = sshUser);
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, knownHostsFile: knownHosts, cloneRetry: { attemptsPerSource: 1, backoff: { baseMs: 10, maxMs: 10, jitter: 0 } } });
});

afterAll(async () => {
  sshUser?.restore();
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

const cloneOverSsh = (parentDirectory: string) => cloneAndWait(helper.client, { repository: 'PROJ/repo', parentDirectory, primary: topology.primary.baseUrl, protocol: 'ssh' });

describe('cloning over SSH', () => {
  let unknownHosts: UnknownHostKey[] = [];

  it('stops before any transfer when a host key is unknown, and says what each server presents', async () => {
    const parent = path.join(workspace.path, 'unknown-hosts');
    await mkdir(parent);
    const job = await cloneOverSsh(parent);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'HOST_KEY_UNKNOWN', hint: expect.stringContaining('--trust-host-key SHA256:') });
    expect(job.attempts).toEqual([]);
    unknownHosts = (job.error!.details as { hosts: UnknownHostKey[] }).hosts;
    const nearPort = topology.mirrors.near!.ssh!.port;
    const primaryPort = topology.primary.ssh!.port;
    expect(unknownHosts.find((host) => host.port === nearPort)).toMatchObject({ host: '127.0.0.1', fingerprint: topology.mirrors.near!.ssh!.hostKeyFingerprint, matchesPrimaryAdvertised: null });
    expect(unknownHosts.find((host) => host.port === primaryPort)).toMatchObject({ fingerprint: topology.primary.ssh!.hostKeyFingerprint, matchesPrimaryAdvertised: true });
    expect(await readdir(parent)).toEqual([]);
    expect(await readFile(knownHosts, 'utf8')).toBe('');
  });

  it('trusts only the exact fingerprint the user confirmed', async () => {
    const near = unknownHosts.find((host) => host.port === topology.mirrors.near!.ssh!.port)!;
    await expect(helper.client.call('sshHosts.trust', { host: near.host, port: near.port, fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await readFile(knownHosts, 'utf8')).toBe('');
    for (const host of unknownHosts) {
      await expect(helper.client.call('sshHosts.trust', { host: host.host, port: host.port, fingerprint: host.fingerprint })).resolves.toMatchObject({ added: true, knownHostsFile: knownHosts });
    }
  });

  it('then clones from the closest mirror and pushes to the primary over SSH', async () => {
    const parent = path.join(workspace.path, 'known-hosts');
    await mkdir(parent);
    const job = await cloneOverSsh(parent);
    expect(job.state, JSON.stringify([job.error, job.attempts])).toBe('done');
    const repo = topology.repo('PROJ', 'repo');
    expect(job.result).toMatchObject({ source: { name: 'near' }, fetchUrl: repo.mirrorSshUrl('near'), pushUrl: repo.sshUrl, engine: 'native' });
    const clonePath = job.result!.path;
    expect(await gitConfig(clonePath, 'remote.origin.url')).toBe(repo.mirrorSshUrl('near'));
    expect(await gitConfig(clonePath, 'remote.origin.pushurl')).toBe(repo.sshUrl);

    await writeFile(path.join(clonePath, 'ssh.txt'), 'over ssh\n');
    await git(clonePath, 'add', 'ssh.txt');
    await git(clonePath, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'Pushed over SSH');
    await run('git', ['-C', clonePath, 'push', '-q', 'origin', 'HEAD:main'], { env: { ...process.env, GIT_SSH_COMMAND: `${process.env.GIT_SSH_COMMAND} -o BatchMode=yes` } });
    expect(await git(repo.diskPath, 'rev-parse', 'refs/heads/main')).toBe(await git(clonePath, 'rev-parse', 'HEAD'));
  });
});
