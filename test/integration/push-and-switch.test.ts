/**
 * After the clone: pushes go to the primary through our keychain-backed credential helper, a
 * plain `git fetch` authenticates the same way, and `switch` moves the clone to another mirror
 * while the push URL stays on the primary. Runs against a real gnome-keyring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile, readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { git, gitConfig } from '../support/git';
import type { CloneJob } from '../../shared/contract';

let topology: Topology;
let keyring: TestKeyring;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let clonePath: string;

beforeAll(async () => {
  [topology, keyring, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 15 }, mirrors: [{ name: 'near', delayMs: 1 }, { name: 'other', delayMs: 4 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }),
    startTestKeyring(),
    makeTempDir('push-switch'),
  ]);
  // This test process (and the git and credential-helper processes it starts) use the test keychain.
  Object.assign(process.env, { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR, XDG_DATA_HOME: keyring.env.XDG_DATA_HOME });
  helper = await startInProcessHelper();
  process.env.MIRROR_CLONE_HOME = helper.dataDir;
  delete process.env.MIRROR_CLONE_TOKEN;
  await helper.client.call('primaries.add', { baseUrl: topology.primary.baseUrl, credentials: { kind: 'token', token: topology.credentials.token } });

  const finished = new Promise<CloneJob>((resolve) => {
    helper.client.on('clone.state', ({ job }) => job.finishedAt && resolve(job));
  });
  await helper.client.call('clone.start', { repository: 'PROJ/repo', parentDirectory: workspace.path });
  const job = await finished;
  if (job.state !== 'done') throw new Error(`clone failed: ${JSON.stringify(job.error)}`);
  clonePath = job.result!.path;
  await git(clonePath, 'config', 'user.email', 'dev@example.com');
  await git(clonePath, 'config', 'user.name', 'Dev');
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await keyring?.stop();
  await workspace?.cleanup();
});

describe('after a clone from a mirror', () => {
  it('pushes land on the primary, authenticated by the keychain, with no secret in the clone', async () => {
    expect(await gitConfig(clonePath, 'remote.origin.url')).toBe(topology.repo('PROJ', 'repo').mirrorHttpUrl('near'));
    await writeFile(path.join(clonePath, 'change.txt'), 'a change\n');
    await git(clonePath, 'add', 'change.txt');
    await git(clonePath, 'commit', '-m', 'A change pushed through the primary');
    const head = await git(clonePath, 'rev-parse', 'HEAD');
    await git(clonePath, 'push', 'origin', 'HEAD:main');
    expect(await git(topology.repo('PROJ', 'repo').diskPath, 'rev-parse', 'refs/heads/main')).toBe(head);
    const config = await readFile(path.join(clonePath, '.git', 'config'), 'utf8');
    expect(config).not.toContain(topology.credentials.token);
    expect(config).toMatch(/\[credential "http:\/\/127\.0\.0\.1:\d+"\]/);
  });

  it('a plain git fetch from the mirror authenticates through the credential helper', async () => {
    await topology.syncNow();
    await git(clonePath, 'fetch', 'origin');
    expect(await git(clonePath, 'rev-parse', 'refs/remotes/origin/main')).toBe(await git(clonePath, 'rev-parse', 'HEAD'));
  });

  it('switch moves the fetch URL to another mirror and keeps the push URL on the primary', async () => {
    const result = await helper.client.call('clones.switch', { path: clonePath, source: 'other' });
    expect(result).toMatchObject({ changed: true, from: { name: 'near' }, to: { name: 'other', kind: 'mirror' } });
    expect(await gitConfig(clonePath, 'remote.origin.url')).toBe(topology.repo('PROJ', 'repo').mirrorHttpUrl('other'));
    expect(await gitConfig(clonePath, 'remote.origin.pushurl')).toBe(topology.repo('PROJ', 'repo').httpUrl);
    expect(await gitConfig(clonePath, 'mirrorclone.sourceName')).toBe('other');

    const back = await helper.client.call('clones.switch', { path: clonePath, source: 'auto' });
    expect(back.to.name).toBe('near');
  });

  it('switch refuses a folder that is not one of our clones', async () => {
    const plain = path.join(workspace.path, 'plain');
    await mkdir(plain);
    await git(plain, 'init', '-q');
    await expect(helper.client.call('clones.switch', { path: plain, source: 'auto' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
