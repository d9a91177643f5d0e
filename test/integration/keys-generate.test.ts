/**
 * Making and uploading SSH keys: each generated type is a real OpenSSH key (0600, never over an
 * existing file) that then authenticates for real; Bitbucket's 400 and 409 become clear messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { recommendedKeyType } from '../../electron/helper/keys/generate';

let topology: Topology;
let helper: InProcessHelper;
let home: Awaited<ReturnType<typeof makeTempDir>>;
let sshFolder: string;

beforeAll(async () => {
  [topology, home] = await Promise.all([
    startTopology({ primary: { refuseKeyTypes: ['ED25519'] }, mirrors: [{ name: 'near' }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }),
    makeTempDir('keys-generate'),
  ]);
  sshFolder = path.join(home.path, 'ssh');
  const knownHostsFile = path.join(home.path, 'known_hosts');
  await writeFile(knownHostsFile, `${[topology.primary, topology.mirrors.near!].map((instance) => instance.ssh!.knownHostsLine).join('\n')}\n`);
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, sshFolder, agentSocket: null, knownHostsFile });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await home?.cleanup();
});

describe('generating keys', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'] as const)('makes a %s key in OpenSSH format with a 0600 private key', async (type) => {
    const made = await helper.client.call('keys.generate', { type });
    expect(made.privateKeyPath).toBe(path.join(sshFolder, `id_${type}`));
    expect((await stat(made.privateKeyPath)).mode & 0o777).toBe(0o600);
    expect(made.type).toBe(type.toUpperCase());
    expect(made.bits).toBe({ ed25519: 256, ecdsa: 521, rsa: 4096 }[type]);
    const listed = (await helper.client.call('keys.list', {})).keys.find((key) => key.fingerprint === made.fingerprint);
    expect(listed).toMatchObject({ passphrase: 'none', permissionsTooOpen: false });
  });

  it('never writes over an existing key file', async () => {
    const again = await helper.client.call('keys.generate', { type: 'ecdsa' });
    expect(again.privateKeyPath).toBe(path.join(sshFolder, 'id_ecdsa_mirror-clone'));
  });

  it('makes the size asked for, and refuses a size that type does not have', async () => {
    expect((await helper.client.call('keys.generate', { type: 'rsa', bits: 3072 })).bits).toBe(3072);
    expect((await helper.client.call('keys.generate', { type: 'ecdsa', bits: 256 })).bits).toBe(256);
    // RSA below 3072 is weak today: the contract has no such size.
    await expect(helper.client.call('keys.generate', { type: 'rsa', bits: 1024 as 3072 })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(helper.client.call('keys.generate', { type: 'rsa', bits: 521 })).rejects.toMatchObject({ code: 'INVALID_PARAMS', hint: expect.stringContaining('4096 or 3072') });
  });
});

describe('uploading keys', () => {
  const publicKeyOf = async (type: string) => (await helper.client.call('keys.list', {})).keys.find((key) => key.name === `id_${type}`)!.publicKey!;

  it('uploads an ECDSA and an RSA key, which then authenticate on every server for real', async () => {
    for (const type of ['ecdsa', 'rsa']) {
      await expect(helper.client.call('keys.upload', { primary: topology.primary.baseUrl, publicKey: await publicKeyOf(type) })).resolves.toMatchObject({ primaryBaseUrl: topology.primary.baseUrl });
    }
    const check = await helper.client.call('keys.check', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
    const inventory = check.inventory.keys;
    const idOf = (name: string) => inventory.find((key) => key.name === name)!.id;
    for (const server of check.servers) {
      const outcome = (name: string) => server.results.find((result) => result.key === idOf(name))?.outcome;
      expect([server.name, outcome('id_ecdsa'), outcome('id_rsa')]).toEqual([server.name, 'accepted', 'accepted']);
    }
  });

  it('turns a 409 (already uploaded) into a clear message', async () => {
    await expect(helper.client.call('keys.upload', { primary: topology.primary.baseUrl, publicKey: await publicKeyOf('ecdsa') })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already on Bitbucket'),
    });
  });

  it("reads the administrators' key rules and warns about an Ed25519 key before anything fails", async () => {
    topology.state.requestLog.length = 0;
    const check = await helper.client.call('keys.check', { primary: topology.primary.baseUrl });
    // The primary's SSH settings give both its endpoint and its host key: asked once.
    expect(topology.state.requestLog.filter((entry) => entry.path.endsWith('/rest/ssh/latest/settings'))).toHaveLength(1);
    expect(check.restrictions).toEqual(expect.arrayContaining([{ type: 'ED25519', allowed: false }, { type: 'ECDSA', allowed: true }]));
    const ed25519 = check.inventory.keys.find((key) => key.name === 'id_ed25519')!;
    expect(check.warnings).toContainEqual(expect.objectContaining({ code: 'type-not-allowed', key: ed25519.fingerprint, fix: expect.stringContaining('ECDSA') }));
    expect(check.warnings.filter((warning) => warning.code === 'type-not-allowed' && warning.key !== ed25519.fingerprint)).toEqual([]);
  });

  it("turns a 400 (a type this Bitbucket refuses) into what to do instead", async () => {
    await expect(helper.client.call('keys.upload', { primary: topology.primary.baseUrl, publicKey: await publicKeyOf('ed25519') })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('refused this ED25519 key'),
      hint: expect.stringContaining('generate an ECDSA key'),
    });
  });
});

describe('the type offered by default', () => {
  const key = (id: string, type: 'ED25519' | 'ECDSA') => ({ id, name: id, type, passphrase: 'none' as const, inAgent: false, permissionsTooOpen: false, warnings: [] });
  const server = (results: [string, 'accepted' | 'refused'][]) => ({ id: 's', name: 's', kind: 'mirror' as const, host: 'h', port: 1, user: 'git', checkedAt: '', durationMs: 1, results: results.map(([id, outcome]) => ({ key: id, outcome, ms: 1 })) });

  it('is Ed25519 unless a server refused Ed25519 while accepting another type', () => {
    const keys = [key('a', 'ED25519'), key('b', 'ECDSA')];
    expect(recommendedKeyType([server([['a', 'accepted'], ['b', 'accepted']])], keys)).toBe('ed25519');
    expect(recommendedKeyType([server([['a', 'refused'], ['b', 'accepted']])], keys)).toBe('ecdsa');
    // Refused everything: not a key-type problem (probably not uploaded).
    expect(recommendedKeyType([server([['a', 'refused'], ['b', 'refused']])], keys)).toBe('ed25519');
  });
});

describe('a generated Ed25519 key where Ed25519 is accepted', () => {
  it('authenticates for real after upload', async () => {
    const world = await startTopology({ mirrors: [{ name: 'near' }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] });
    const folder = await makeTempDir('keys-generate-ed25519');
    const knownHostsFile = path.join(folder.path, 'known_hosts');
    await writeFile(knownHostsFile, `${[world.primary, world.mirrors.near!].map((instance) => instance.ssh!.knownHostsLine).join('\n')}\n`);
    const own = await startInProcessHelper({ environmentToken: world.credentials.token, sshFolder: path.join(folder.path, 'ssh'), agentSocket: null, knownHostsFile });
    try {
      const made = await own.client.call('keys.generate', { type: 'ed25519' });
      await own.client.call('keys.upload', { primary: world.primary.baseUrl, publicKey: made.publicKey });
      const check = await own.client.call('keys.check', { repository: 'PROJ/repo', primary: world.primary.baseUrl });
      const id = check.inventory.keys.find((key) => key.fingerprint === made.fingerprint)!.id;
      expect(check.servers.map((server) => [server.name, server.results.find((result) => result.key === id)?.outcome])).toEqual(check.servers.map((server) => [server.name, 'accepted']));
    } finally {
      await own.stop();
      await world.stop();
      await folder.cleanup();
    }
  });
});
