/**
 * `keys.check` against real sshd instances (the emulator: a primary, a mirror that takes every
 * key, one that refuses Ed25519 like some Bitbucket mirrors). The check's prediction for every
 * server and key is then compared with what a real `git ls-remote` over SSH with that key does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { uploadPublicKey } from '../support/ssh-keys';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { runCliProcess } from '../support/cli';
import type { KeyCheck } from '../../shared/contract';

const run = promisify(execFile);
let topology: Topology;
let helper: InProcessHelper;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let sshFolder: string;
let knownHosts: string;
const fingerprints: Record<string, string> = {};


beforeAll(async () => {
  [topology, temp] = await Promise.all([
    startTopology({ mirrors: [{ name: 'near' }, { name: 'strict', refuseKeyTypes: ['ED25519'] }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }),
    makeTempDir('keys-check'),
  ]);
  // A home folder of its own: the CLI run below finds ~/.ssh there, never the real one.
  sshFolder = path.join(temp.path, 'home', '.ssh');
  await mkdir(sshFolder, { recursive: true, mode: 0o700 });
  for (const type of ['ed25519', 'ecdsa', 'rsa']) {
    const file = path.join(sshFolder, `id_${type}`);
    await run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', `${type}@laptop`, '-f', file]);
    fingerprints[type] = /SHA256:\S+/.exec((await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`])).stdout)![0];
  }
  // Ed25519 and ECDSA are uploaded; the RSA key is not.
  await uploadPublicKey(topology, path.join(sshFolder, 'id_ed25519.pub'));
  await uploadPublicKey(topology, path.join(sshFolder, 'id_ecdsa.pub'));
  knownHosts = path.join(sshFolder, 'known_hosts');
  await writeFile(knownHosts, [topology.primary, topology.mirrors.near!, topology.mirrors.strict!].map((instance) => `${instance.ssh!.knownHostsLine}\n`).join(''));
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, knownHostsFile: knownHosts, sshFolder, agentSocket: null });
  // ssh-add reads a passphrase only from a terminal or an askpass program.
  await writeFile(path.join(temp.path, 'askpass.sh'), '#!/bin/sh\necho secret\n', { mode: 0o700 });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await temp?.cleanup();
});

const outcome = (check: KeyCheck, server: string, type: string) => check.servers.find((entry) => entry.name === server)?.results.find((result) => result.key === fingerprints[type])?.outcome;

describe('keys.check', () => {
  let check: KeyCheck;

  it('predicts which key works where: Ed25519 refused on the strict mirror only, ECDSA everywhere', async () => {
    check = await helper.client.call('keys.check', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
    const primaryName = check.servers.find((server) => server.kind === 'primary')!.name;
    expect(check.servers.map((server) => server.name).sort()).toEqual([primaryName, 'near', 'strict'].sort());
    for (const server of [primaryName, 'near', 'strict']) expect(outcome(check, server, 'ecdsa')).toBe('accepted');
    expect(outcome(check, primaryName, 'ed25519')).toBe('accepted');
    expect(outcome(check, 'near', 'ed25519')).toBe('accepted');
    expect(outcome(check, 'strict', 'ed25519')).toBe('refused');
    for (const server of [primaryName, 'near', 'strict']) expect(outcome(check, server, 'rsa')).toBe('refused');
    expect(check.uploaded).toEqual({ [fingerprints.ed25519!]: true, [fingerprints.ecdsa!]: true, [fingerprints.rsa!]: false });

    expect(check.warnings).toContainEqual(expect.objectContaining({ code: 'refused-by-server', server: 'strict', key: fingerprints.ed25519, fix: expect.stringContaining('ssh-keygen -t ecdsa') }));
    expect(check.warnings).toContainEqual(expect.objectContaining({ code: 'not-uploaded', key: fingerprints.rsa, fix: expect.stringContaining('/plugins/servlet/ssh/account/keys') }));
    expect(check.warnings.filter((warning) => warning.code === 'refused-by-server')).toHaveLength(1);
    expect(check.warnings.filter((warning) => warning.code === 'no-key-accepted')).toEqual([]);

    const tried = check.servers.flatMap((server) => server.results.filter((result) => result.outcome !== 'not-tried'));
    console.info(`keys.check: ${check.servers.length} servers × ${check.inventory.keys.length} keys in ${check.durationMs} ms; per attempt ${Math.min(...tried.map((r) => r.ms))}-${Math.max(...tried.map((r) => r.ms))} ms; per server ${check.servers.map((s) => `${s.name} ${s.durationMs} ms`).join(', ')}`);
  });

  it('and the prediction is what a real git ls-remote over SSH with that key does', async () => {
    const repo = topology.repo('PROJ', 'repo');
    const urls: Record<string, string> = { near: repo.mirrorSshUrl('near')!, strict: repo.mirrorSshUrl('strict')! };
    urls[check.servers.find((server) => server.kind === 'primary')!.name] = repo.sshUrl!;
    for (const [server, url] of Object.entries(urls)) {
      for (const type of ['ed25519', 'ecdsa', 'rsa']) {
        const sshCommand = `ssh -F none -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile=${knownHosts} -i ${path.join(sshFolder, `id_${type}`)}`;
        const works = await run('git', ['ls-remote', '--', url], { env: { ...process.env, GIT_SSH_COMMAND: sshCommand } }).then(({ stdout }) => /refs\/heads\/main/.test(stdout), () => false);
        expect({ server, type, works }).toEqual({ server, type, works: outcome(check, server, type) === 'accepted' });
      }
    }
  });

  it('keeps each server\'s results with their date', async () => {
    const files = await readdir(helper.dataDir);
    expect(files).toContain('ssh-key-checks.json');
    const stored = JSON.parse(await readFile(path.join(helper.dataDir, 'ssh-key-checks.json'), 'utf8')) as { servers: Record<string, { name: string; checkedAt: string }> };
    expect(Object.values(stored.servers).map((server) => server.name)).toContain('strict');
    expect(Date.parse(Object.values(stored.servers)[0]!.checkedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('reports a server whose SSH port does not answer as unreachable, and still checks the others', async () => {
    topology.setFault('near', { kind: 'refuse' }, 'ssh');
    try {
      const result = await helper.client.call('keys.check', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
      const near = result.servers.find((server) => server.name === 'near')!;
      expect(near.results.map((entry) => entry.outcome)).toEqual(['unreachable', 'unreachable', 'unreachable']);
      expect(near.results[0]!.detail).toMatch(/Connection (closed|reset|refused)/i);
      expect(outcome(result, 'strict', 'ecdsa')).toBe('accepted');
      expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'server-unreachable', server: 'near', fix: expect.stringContaining('HTTPS') }));
    } finally {
      topology.setFault('near', { kind: 'none' }, 'ssh');
    }
  });

  it('tries no key on a server whose host key is not trusted, and says what the server presents', async () => {
    const empty = path.join(temp.path, 'empty_known_hosts');
    await writeFile(empty, '');
    const strangers = await startInProcessHelper({ environmentToken: topology.credentials.token, knownHostsFile: empty, sshFolder, agentSocket: null });
    try {
      const result = await strangers.client.call('keys.check', { primary: topology.primary.baseUrl });
      expect(result.servers).toHaveLength(1);
      expect(result.servers[0]!.results.every((entry) => entry.outcome === 'host-key-unknown')).toBe(true);
      expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'host-key-unknown', message: expect.stringContaining(topology.primary.ssh!.hostKeyFingerprint) }));
      // What it presents, to review and trust: the primary's own, matching what it advertises.
      expect(result.servers[0]!.unknownHostKeys).toContainEqual(expect.objectContaining({ port: topology.primary.ssh!.port, fingerprint: topology.primary.ssh!.hostKeyFingerprint }));
      expect(await readFile(empty, 'utf8')).toBe('');
    } finally {
      await strangers.stop();
    }
  });
});

describe('keys.hostKeys and keys.list with the primary asked', () => {
  it('says which servers are trusted, and what an unknown one presents, without trusting anything', async () => {
    const only = path.join(temp.path, 'primary_only_known_hosts');
    await writeFile(only, `${topology.primary.ssh!.knownHostsLine}\n`);
    const partial = await startInProcessHelper({ environmentToken: topology.credentials.token, knownHostsFile: only, sshFolder, agentSocket: null });
    try {
      const url = (instance: { ssh?: { port: number } }) => `ssh://git@127.0.0.1:${instance.ssh!.port}/proj/repo.git`;
      const { hosts, knownHostsFile } = await partial.client.call('keys.hostKeys', { urls: [url(topology.mirrors.near!), url(topology.primary)], primary: topology.primary.baseUrl });
      expect(knownHostsFile).toBe(only);
      expect(hosts.map((host) => [host.port, host.known])).toEqual([[topology.mirrors.near!.ssh!.port, false], [topology.primary.ssh!.port, true]]);
      expect(hosts[0]!.presented).toContainEqual(expect.objectContaining({ fingerprint: topology.mirrors.near!.ssh!.hostKeyFingerprint, matchesPrimaryAdvertised: null }));
      expect(await readFile(only, 'utf8')).toBe(`${topology.primary.ssh!.knownHostsLine}\n`);
      await expect(partial.client.call('keys.hostKeys', { urls: ['https://127.0.0.1/x.git'] })).rejects.toMatchObject({ code: 'INVALID_PARAMS', hint: expect.stringContaining('ssh://') });
    } finally {
      await partial.stop();
    }
  });

  it('lists which keys the primary has only when asked', async () => {
    expect((await helper.client.call('keys.list', {})).uploaded).toBeUndefined();
    const listed = await helper.client.call('keys.list', { withUploads: true, primary: topology.primary.baseUrl });
    expect(listed.uploaded).toEqual({ primaryBaseUrl: topology.primary.baseUrl, keys: expect.objectContaining({ [fingerprints.ed25519!]: true, [fingerprints.ecdsa!]: true }) });
    expect(listed.uploaded!.keys[listed.keys.find((key) => key.fingerprint === fingerprints.rsa)!.id]).toBe(false);
  });
});

describe('keys.check with keys ssh cannot use as they are', () => {
  it('a private key others can read: ssh will not use it, as git ls-remote confirms; a passphrase key is tried through the agent', async () => {
    const folder = path.join(temp.path, 'other-ssh');
    await mkdir(folder, { mode: 0o700 });
    const open = path.join(folder, 'id_open');
    const locked = path.join(folder, 'id_locked');
    await run('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-C', 'open@laptop', '-f', open]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-C', 'locked@laptop', '-f', locked]);
    await uploadPublicKey(topology, `${open}.pub`);
    await uploadPublicKey(topology, `${locked}.pub`);
    await chmod(open, 0o644);
    const socket = path.join(temp.path, 'agent.sock');
    const { stdout } = await run('ssh-agent', ['-s', '-a', socket]);
    const agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(stdout)![1]);
    const withoutAgent = await startInProcessHelper({ environmentToken: topology.credentials.token, knownHostsFile: knownHosts, sshFolder: folder, agentSocket: null });
    const withAgent = await startInProcessHelper({ environmentToken: topology.credentials.token, knownHostsFile: knownHosts, sshFolder: folder, agentSocket: socket });
    try {
      const before = await withoutAgent.client.call('keys.check', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
      const lockedId = before.inventory.keys.find((key) => key.name === 'id_locked')!.id;
      const openId = before.inventory.keys.find((key) => key.name === 'id_open')!.id;
      for (const server of before.servers) {
        expect(server.results.find((result) => result.key === openId)).toMatchObject({ outcome: 'key-unusable', detail: expect.stringMatching(/bad permissions|UNPROTECTED/) });
        expect(server.results.find((result) => result.key === lockedId)).toMatchObject({ outcome: 'not-tried', detail: expect.stringContaining('ssh-add') });
      }
      expect(before.warnings).toContainEqual(expect.objectContaining({ code: 'permissions', fix: `Run \`chmod 600 ${open}\`.` }));
      expect(before.warnings).toContainEqual(expect.objectContaining({ code: 'not-in-agent', key: lockedId }));
      // git, with the same key as it is, cannot get in either.
      const sshCommand = `ssh -F none -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile=${knownHosts} -i ${open}`;
      const listed = await run('git', ['ls-remote', '--', topology.repo('PROJ', 'repo').mirrorSshUrl('near')!], { env: { ...process.env, GIT_SSH_COMMAND: sshCommand } }).then(() => 'listed', (error: { stderr: string }) => error.stderr);
      expect(listed).toMatch(/UNPROTECTED PRIVATE KEY FILE/);

      await run('ssh-add', ['-q', locked], { env: { ...process.env, SSH_AUTH_SOCK: socket, SSH_ASKPASS: path.join(temp.path, 'askpass.sh'), SSH_ASKPASS_REQUIRE: 'force', DISPLAY: 'none' } });
      const after = await withAgent.client.call('keys.check', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
      const outcomes = Object.fromEntries(after.servers.map((server) => [server.name, server.results.find((result) => result.key === lockedId)?.outcome]));
      expect(outcomes).toMatchObject({ near: 'accepted', strict: 'refused' });
      expect(after.inventory.keys.find((key) => key.id === lockedId)).toMatchObject({ inAgent: true, passphrase: 'protected', warnings: [] });
    } finally {
      process.kill(agentPid);
      await withoutAgent.stop();
      await withAgent.stop();
    }
  });
});

describe('mirror-clone keys', () => {
  const env = () => ({ ...process.env, HOME: path.dirname(sshFolder), MIRROR_CLONE_HOME: path.join(temp.path, 'cli-data'), MIRROR_CLONE_TOKEN: topology.credentials.token, SSH_AUTH_SOCK: '' });

  it('keys check prints servers as rows and keys as columns, with the warnings and their fix', async () => {
    const result = await runCliProcess(['keys', 'check', 'PROJ/repo', '--primary', topology.primary.baseUrl], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Columns are the key files by name: id_ecdsa, id_ed25519, id_rsa.
    expect(result.stdout).toMatch(/^server\s+address\s+time\s+id_ecdsa\s+id_ed25519\s+id_rsa$/m);
    expect(result.stdout).toMatch(/^strict\s+git@127\.0\.0\.1:\d+\s+\d+ ms\s+✓\s+✗\s+✗$/m);
    expect(result.stdout).toMatch(/^near\s+git@127\.0\.0\.1:\d+\s+\d+ ms\s+✓\s+✓\s+✗$/m);
    expect(result.stdout).toMatch(/^on the primary\s+uploaded\s+uploaded\s+not uploaded$/m);
    expect(result.stdout).toContain('ssh-keygen -t ecdsa');
  });

  it('keys check --json gives the contract result', async () => {
    const result = await runCliProcess(['keys', 'check', 'PROJ/repo', '--primary', topology.primary.baseUrl, '--json'], { env: env() });
    expect(result.code).toBe(0);
    const check = JSON.parse(result.stdout) as KeyCheck;
    expect(outcome(check, 'strict', 'ed25519')).toBe('refused');
    expect(outcome(check, 'strict', 'ecdsa')).toBe('accepted');
  });

  it('keys check without a repository or primary is a usage mistake', async () => {
    const result = await runCliProcess(['keys', 'check'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Name a repository');
    expect((await runCliProcess(['keys', 'frob'], { env: env() })).code).toBe(2);
    expect((await runCliProcess(['--help'], { env: env() })).stdout).toMatch(/^\s+keys\s+Your SSH keys: list, check/m);
  });

  it('keys list shows each key with its type, size and fingerprint', async () => {
    const result = await runCliProcess(['keys', 'list'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(fingerprints.ed25519);
    expect(result.stdout).toMatch(/id_rsa\s+RSA 2048/);
    const json = await runCliProcess(['keys', 'list', '--json'], { env: env() });
    expect(JSON.parse(json.stdout)).toMatchObject({ folder: sshFolder, agent: { running: false } });
  });
});
