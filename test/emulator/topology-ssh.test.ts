// Git over SSH through the topology: keys uploaded through the primary's REST API are what every
// instance's sshd trusts (mirrors delegate auth to the primary); a mirror may refuse Ed25519.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitClient, headsOf, type GitClient } from '../fixtures/bitbucket/git-client';
import { bearerAuth, fetchJson, type SshKeyBody } from '../fixtures/bitbucket/rest-test-client';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { generateKeyPair, type KeyPair } from '../fixtures/ssh/keys';

let world: Topology;
let workDir: string;
let ed25519: KeyPair;
let rsa: KeyPair;
let viaEd25519: GitClient;
let viaRsa: GitClient;
let counter = 0;

const freshDir = () => join(workDir, `checkout-${++counter}`);

async function uploadKey(key: KeyPair): Promise<number> {
  const { status, body } = await fetchJson<SshKeyBody>(`${world.primary.baseUrl}/rest/ssh/1.0/keys`, bearerAuth(world.credentials.token), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: key.publicKeyLine }),
  });
  expect(status).toBe(201);
  return body.id;
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'topology-ssh-'));
  [world, ed25519, rsa] = await Promise.all([
    startTopology({
      mirrors: [{ name: 'near' }, { name: 'strict', refuseKeyTypes: ['ED25519'] }],
      projects: [{ key: 'PROJ', repos: [{ slug: 'app' }] }],
      users: [{ name: 'dev', personalRepos: [{ slug: 'notes' }] }],
    }),
    generateKeyPair(join(workDir, 'id_ed25519'), 'ed25519'),
    generateKeyPair(join(workDir, 'id_rsa'), 'rsa'),
  ]);
  const knownHostsLines = [world.primary.ssh!, world.mirrors.near!.ssh!, world.mirrors.strict!.ssh!].map((s) => s.knownHostsLine);
  viaEd25519 = await createGitClient({ workDir: join(workDir, 'ed25519'), ssh: { privateKeyPath: ed25519.privateKeyPath, knownHostsLines } });
  viaRsa = await createGitClient({ workDir: join(workDir, 'rsa'), ssh: { privateKeyPath: rsa.privateKeyPath, knownHostsLines } });
});

afterAll(async () => {
  await world?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('git over SSH', () => {
  it('refuses a key the primary does not know', async () => {
    const result = await viaEd25519.run(['clone', '--quiet', '--', world.repo('PROJ', 'app').mirrorSshUrl('near')!, freshDir()]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Permission denied \(publickey\)/);
  });

  it('clones from a mirror with a key uploaded to the primary, pushes to the primary, and the mirror follows', async () => {
    const keyId = await uploadKey(ed25519);
    const repo = world.repo('PROJ', 'app');
    expect(repo.mirrorSshUrl('near')).toBe(`ssh://git@127.0.0.1:${world.mirrors.near!.sshProxy!.port}/proj/app.git`);
    const dir = freshDir();
    await viaEd25519.ok(['clone', '--quiet', '--', repo.mirrorSshUrl('near')!, dir]);
    expect(await viaEd25519.ok(['rev-parse', 'HEAD'], { cwd: dir })).toBe((await headsOf(viaEd25519, repo.diskPath))['refs/heads/main']);

    await viaEd25519.ok(['remote', 'set-url', '--push', 'origin', repo.sshUrl!], { cwd: dir });
    await writeFile(join(dir, 'over-ssh.txt'), 'pushed over ssh\n');
    await viaEd25519.ok(['add', '.'], { cwd: dir });
    await viaEd25519.ok(['commit', '--quiet', '-m', 'Over SSH'], { cwd: dir });
    await viaEd25519.ok(['push', '--quiet', 'origin', 'main'], { cwd: dir });
    const sha = await viaEd25519.ok(['rev-parse', 'HEAD'], { cwd: dir });
    expect((await headsOf(viaEd25519, repo.diskPath))['refs/heads/main']).toBe(sha);
    // The push ran the primary's hook as sshd's git user; the mirror syncs from it.
    await eventually(async () => (await headsOf(viaEd25519, repo.mirrorDiskPath('near')))['refs/heads/main'] === sha, 5_000);

    // A push straight to the mirror is refused: mirrors are read-only.
    await viaEd25519.ok(['remote', 'set-url', '--push', 'origin', repo.mirrorSshUrl('near')!], { cwd: dir });
    await viaEd25519.ok(['commit', '--quiet', '--allow-empty', '-m', 'To the mirror'], { cwd: dir });
    const refused = await viaEd25519.run(['push', 'origin', 'main'], { cwd: dir });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/read-only mirror/);

    // Deleting the key through REST locks the client out again, at once.
    const deleted = await fetchJson(`${world.primary.baseUrl}/rest/ssh/1.0/keys/${keyId}`, bearerAuth(world.credentials.token), { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    const after = await viaEd25519.run(['ls-remote', '--', repo.mirrorSshUrl('near')!]);
    expect(after.stderr).toMatch(/Permission denied \(publickey\)/);
  });

  it('has a mirror that refuses Ed25519 keys while accepting RSA keys from the same store', async () => {
    await uploadKey(ed25519);
    await uploadKey(rsa);
    const url = world.repo('PROJ', 'app').mirrorSshUrl('strict')!;
    const refused = await viaEd25519.run(['ls-remote', '--', url]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Permission denied \(publickey\)/);
    expect(await viaRsa.ok(['ls-remote', '--', url])).toMatch(/refs\/heads\/main/);
    // The same Ed25519 key works on the mirror that does not refuse it.
    expect(await viaEd25519.ok(['ls-remote', '--', world.repo('PROJ', 'app').mirrorSshUrl('near')!])).toMatch(/refs\/heads\/main/);
  });

  it('serves personal repositories at ~user paths', async () => {
    const url = world.repo('~DEV', 'notes').sshUrl!;
    expect(url).toMatch(/\/~dev\/notes\.git$/);
    expect(await viaRsa.ok(['ls-remote', '--', url])).toMatch(/refs\/heads\/main/);
  });
});
