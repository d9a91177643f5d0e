// The SSH keys REST API of a primary that refuses Ed25519 keys, with keys from real ssh-keygen.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, bearerAuth, fetchJson, type ErrorBody, type PagedBody, type SshKeyBody, type SshSettingsBody } from '../fixtures/bitbucket/rest-test-client';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { generateKeyPair, type KeyPair } from '../fixtures/ssh/keys';

let world: Topology;
let workDir: string;
let auth: Record<string, string>;
let keysUrl: string;
let rsa: KeyPair;
let ecdsa: KeyPair;
let ed25519: KeyPair;

const json = { 'Content-Type': 'application/json' };
const upload = (text: string, headers = auth, label?: string) =>
  fetchJson<SshKeyBody & ErrorBody>(keysUrl, headers, { method: 'POST', headers: json, body: JSON.stringify({ text, label }) });

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'rest-ssh-keys-'));
  [world, rsa, ecdsa, ed25519] = await Promise.all([
    startTopology({
      primary: { refuseKeyTypes: ['ED25519'] },
      users: [{ name: 'dev' }, { name: 'second', password: 'second-secret' }],
      projects: [],
    }),
    generateKeyPair(join(workDir, 'id_rsa'), 'rsa', 'dev@laptop'),
    generateKeyPair(join(workDir, 'id_ecdsa'), 'ecdsa', 'dev@desktop'),
    generateKeyPair(join(workDir, 'id_ed25519'), 'ed25519', 'dev@new-laptop'),
  ]);
  auth = bearerAuth(world.credentials.token);
  keysUrl = `${world.primary.baseUrl}/rest/ssh/1.0/keys`;
});

afterAll(async () => {
  await world?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('uploading keys', () => {
  it('answers 201 with the key object for an RSA key, reading type, length and fingerprint from the key', async () => {
    const { status, body } = await upload(rsa.publicKeyLine);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      id: expect.any(Number),
      text: rsa.publicKeyLine,
      label: 'dev@laptop',
      algorithmType: 'RSA',
      bitLength: 2048,
      fingerprint: rsa.fingerprint.replace(/^SHA256:/, ''),
    });
  });

  it('uses the given label, and reads ECDSA keys', async () => {
    const { status, body } = await upload(ecdsa.publicKeyLine, auth, 'work desktop');
    expect(status).toBe(201);
    expect(body).toMatchObject({ label: 'work desktop', algorithmType: 'ECDSA', bitLength: 256 });
  });

  it('answers 400 for a key type the instance refuses (Ed25519 here)', async () => {
    const { status, body } = await upload(ed25519.publicKeyLine);
    expect(status).toBe(400);
    expect(body.errors[0]).toMatchObject({ context: 'text', message: expect.stringMatching(/ED25519/) });
  });

  it('answers 400 for text that is not a public key', async () => {
    const [type, blob] = rsa.publicKeyLine.split(' ') as [string, string];
    const ed25519Blob = ed25519.publicKeyLine.split(' ')[1]!;
    for (const text of ['', 'hello world', `${type} ${blob.slice(0, 40)}`, `${type} ${ed25519Blob}`, `${type} not*base64`]) {
      const { status, body } = await upload(text);
      expect(status, text).toBe(400);
      expect(body.errors[0]!.message).toMatch(/not a valid/);
    }
  });

  it('answers 409 for a key that already exists, for the same user or another one', async () => {
    expect((await upload(rsa.publicKeyLine)).status).toBe(409);
    const { status, body } = await upload(rsa.publicKeyLine, basicAuth('second', 'second-secret'));
    expect(status).toBe(409);
    expect(body.errors[0]!.message).toMatch(/already exists/);
  });

  it('answers 401 without credentials', async () => {
    expect((await upload(ecdsa.publicKeyLine, {})).status).toBe(401);
  });
});

describe('listing and deleting keys', () => {
  it("lists only the caller's keys, gets one by id and deletes it", async () => {
    const { body: page } = await fetchJson<PagedBody<SshKeyBody>>(`${world.primary.baseUrl}/rest/ssh/latest/keys`, auth);
    expect(page.values.map((k) => k.algorithmType).sort()).toEqual(['ECDSA', 'RSA']);
    const other = await fetchJson<PagedBody<SshKeyBody>>(keysUrl, basicAuth('second', 'second-secret'));
    expect(other.body.values).toEqual([]);

    const ecdsaKey = page.values.find((k) => k.algorithmType === 'ECDSA')!;
    expect((await fetchJson<SshKeyBody>(`${keysUrl}/${ecdsaKey.id}`, auth)).body.label).toBe('work desktop');
    // Someone else's key id is not found for this user.
    expect((await fetchJson(`${keysUrl}/${ecdsaKey.id}`, basicAuth('second', 'second-secret'), { method: 'DELETE' })).status).toBe(404);
    expect((await fetchJson(`${keysUrl}/${ecdsaKey.id}`, auth, { method: 'DELETE' })).status).toBe(204);
    expect((await fetchJson(`${keysUrl}/${ecdsaKey.id}`, auth)).status).toBe(404);
    // Deleted keys may be uploaded again.
    expect((await upload(ecdsa.publicKeyLine)).status).toBe(201);
  });
});

describe('SSH settings', () => {
  it("advertise the proxy port and the primary sshd's host key fingerprint", async () => {
    const { status, body } = await fetchJson<SshSettingsBody>(`${world.primary.baseUrl}/rest/ssh/latest/settings`, auth);
    expect(status).toBe(200);
    const [algorithm, value] = world.primary.ssh!.hostKeyFingerprint.split(':');
    expect(body).toEqual({ enabled: true, accessKeysEnabled: true, baseUrl: 'ssh://127.0.0.1', port: world.primary.sshProxy!.port, fingerprint: { algorithm, value } });
  });
});
