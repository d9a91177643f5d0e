// Key inventory against keys ssh-keygen really makes (every type it makes here), hand-made
// security-key public keys, passphrases, broken files, permissions and a real ssh-agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { listKeys } from '../../electron/helper/keys/inventory';
import { parsePublicKeyLine } from '../../electron/helper/keys/wire-format';
import type { KeyInventory, SshKey } from '../../shared/contract';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let folder: string;

/** What ssh-keygen itself says: bits, fingerprint, comment, type. */
async function keygenSays(file: string): Promise<{ bits: number; fingerprint: string; type: string }> {
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', file]);
  const match = /^(\d+) (SHA256:\S+) .* \((\S+)\)$/.exec(stdout.trim())!;
  return { bits: Number(match[1]), fingerprint: match[2]!, type: match[3]! };
}

const made: { file: string; args: string[]; type: string; bits: number }[] = [
  { file: 'id_rsa1024', args: ['-t', 'rsa', '-b', '1024'], type: 'RSA', bits: 1024 },
  { file: 'id_rsa2048', args: ['-t', 'rsa', '-b', '2048'], type: 'RSA', bits: 2048 },
  { file: 'id_rsa4096', args: ['-t', 'rsa', '-b', '4096'], type: 'RSA', bits: 4096 },
  { file: 'id_ecdsa256', args: ['-t', 'ecdsa', '-b', '256'], type: 'ECDSA', bits: 256 },
  { file: 'id_ecdsa384', args: ['-t', 'ecdsa', '-b', '384'], type: 'ECDSA', bits: 384 },
  { file: 'id_ecdsa521', args: ['-t', 'ecdsa', '-b', '521'], type: 'ECDSA', bits: 521 },
  { file: 'id_ed25519', args: ['-t', 'ed25519'], type: 'ED25519', bits: 256 },
  { file: 'id_dsa', args: ['-t', 'dsa'], type: 'DSA', bits: 1024 },
];

function blob(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(parts.flatMap((part) => {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return [length, bytes];
  }));
}

let inventory: KeyInventory;
const byName = (name: string): SshKey => inventory.keys.find((key) => key.name === name)!;

beforeAll(async () => {
  temp = await makeTempDir('keys-inventory');
  folder = path.join(temp.path, 'ssh');
  await mkdir(folder, { mode: 0o700 });
  await Promise.all(made.map((key) => run('ssh-keygen', ['-q', ...key.args, '-N', '', '-C', `${key.file}@test`, '-f', path.join(folder, key.file)])));
  // Passphrase-protected: one in OpenSSH format (no .pub: its public half is read from the file), one PEM.
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-C', 'locked@test', '-f', path.join(folder, 'id_locked')]);
  await run('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', 'secret', '-f', path.join(folder, 'id_pem_locked')]);
  await run('rm', [path.join(folder, 'id_locked.pub'), path.join(folder, 'id_pem_locked.pub')]);
  // Too open for ssh.
  await run('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', path.join(folder, 'id_open')]);
  await chmod(path.join(folder, 'id_open'), 0o644);
  // Broken ones, and files that are not keys at all.
  await writeFile(path.join(folder, 'id_broken'), '-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
  await writeFile(path.join(folder, 'garbage.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB not base64 at all\n');
  await writeFile(path.join(folder, 'lying.pub'), `ssh-rsa ${blob('ssh-ed25519', Buffer.alloc(32, 7)).toString('base64')} says rsa\n`);
  await writeFile(path.join(folder, 'id_empty'), '', { mode: 0o600 });
  await writeFile(path.join(folder, 'config'), 'Host *\n  IdentitiesOnly yes\n');
  await writeFile(path.join(folder, 'known_hosts'), '[127.0.0.1]:2222 ssh-ed25519 AAAA\n');
  inventory = await listKeys({ folder });
});

afterAll(async () => {
  await temp?.cleanup();
});

describe('public keys, read by hand', () => {
  it.each(made)('$file: type, bits and fingerprint as ssh-keygen prints them', async ({ file, type, bits }) => {
    const parsed = parsePublicKeyLine(await readFile(path.join(folder, `${file}.pub`), 'utf8'));
    const keygen = await keygenSays(path.join(folder, `${file}.pub`));
    expect(parsed).toMatchObject({ type, bits: keygen.bits, fingerprint: keygen.fingerprint, comment: `${file}@test` });
    expect(bits).toBe(keygen.bits);
    expect(keygen.type.replace('-', '')).toBe(type.replace('-', ''));
  });

  it('reads hand-made security-key (FIDO) public keys like ssh-keygen does', async () => {
    const ed = parsePublicKeyLine(await readFile(path.join(folder, 'id_ed25519.pub'), 'utf8'));
    const point = Buffer.from(ed.text.split(' ')[1]!, 'base64').subarray(4 + 11 + 4);
    const ec = parsePublicKeyLine(await readFile(path.join(folder, 'id_ecdsa256.pub'), 'utf8'));
    const ecPoint = Buffer.from(ec.text.split(' ')[1]!, 'base64').subarray(4 + 19 + 4 + 8 + 4);
    const lines = {
      'ED25519-SK': `sk-ssh-ed25519@openssh.com ${blob('sk-ssh-ed25519@openssh.com', point, 'ssh:').toString('base64')} yubikey`,
      'ECDSA-SK': `sk-ecdsa-sha2-nistp256@openssh.com ${blob('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp256', ecPoint, 'ssh:').toString('base64')} yubikey`,
    };
    for (const [type, line] of Object.entries(lines)) {
      const file = path.join(temp.path, `${type}.pub`);
      await writeFile(file, `${line}\n`);
      const keygen = await keygenSays(file);
      expect(parsePublicKeyLine(line)).toMatchObject({ type, bits: keygen.bits, fingerprint: keygen.fingerprint, comment: 'yubikey' });
    }
  });
});

describe('the inventory of a folder', () => {
  it('lists every key with type, bits, fingerprint and comment, and ignores files that are not keys', async () => {
    for (const key of made) {
      const keygen = await keygenSays(path.join(folder, `${key.file}.pub`));
      expect(byName(key.file)).toMatchObject({ id: keygen.fingerprint, type: key.type, bits: keygen.bits, fingerprint: keygen.fingerprint, comment: `${key.file}@test`, passphrase: 'none', mode: '0600', permissionsTooOpen: false, inAgent: false });
    }
    expect(inventory.keys.map((key) => key.name)).not.toContain('config');
    expect(inventory.keys.map((key) => key.name)).not.toContain('known_hosts');
    expect(inventory.agent.running).toBe(false);
  });

  it('tells passphrase-protected keys apart, and reads an OpenSSH key\'s public half without its passphrase', async () => {
    const locked = byName('id_locked');
    expect(locked).toMatchObject({ passphrase: 'protected', type: 'ED25519', fingerprint: (await keygenSays(path.join(folder, 'id_locked'))).fingerprint });
    expect(byName('id_pem_locked')).toMatchObject({ passphrase: 'protected', id: `file:${path.join(folder, 'id_pem_locked')}` });
    expect(byName('id_pem_locked').type).toBeUndefined(); // PEM hides its public half behind the passphrase
  });

  it('reports broken files as entries with a problem, never as a failure', () => {
    expect(byName('id_broken').problem).toMatch(/not a readable private key/);
    expect(byName('id_empty').problem).toMatch(/not a private key file/);
    expect(byName('garbage.pub').problem).toMatch(/not a public key/);
    expect(byName('lying.pub').problem).toMatch(/says ssh-rsa but the key data is ssh-ed25519/);
    for (const name of ['id_broken', 'id_empty', 'garbage.pub', 'lying.pub']) expect(byName(name).warnings.map((warning) => warning.code)).toContain('malformed');
  });

  it('warns about RSA under 2048 bits, DSA and a private key others can read, each with its fix', () => {
    const codes = (name: string) => byName(name).warnings.map((warning) => warning.code);
    expect(byName('id_rsa1024').warnings).toContainEqual(expect.objectContaining({ code: 'rsa-short', fix: expect.stringContaining('ssh-keygen -t ed25519') }));
    expect(codes('id_rsa2048')).toEqual([]);
    expect(byName('id_dsa').warnings).toContainEqual(expect.objectContaining({ code: 'dsa', message: expect.stringContaining('DSA') }));
    expect(byName('id_open')).toMatchObject({ mode: '0644', permissionsTooOpen: true });
    expect(byName('id_open').warnings).toContainEqual(expect.objectContaining({ code: 'permissions', fix: `Run \`chmod 600 ${path.join(folder, 'id_open')}\`.` }));
    expect(codes('id_ed25519')).toEqual([]);
  });
});

describe('with a running ssh-agent', () => {
  it('marks the keys it holds, lists keys only it has, and warns about keys not loaded', async () => {
    const socket = path.join(temp.path, 'agent.sock');
    const { stdout } = await run('ssh-agent', ['-s', '-a', socket]);
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(stdout)![1]);
    try {
      const env = { ...process.env, SSH_AUTH_SOCK: socket };
      await run('ssh-add', ['-q', path.join(folder, 'id_ed25519')], { env });
      const elsewhere = path.join(temp.path, 'id_elsewhere');
      await run('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-C', 'from-elsewhere', '-f', elsewhere]);
      await run('ssh-add', ['-q', elsewhere], { env });
      const withAgent = await listKeys({ folder, agentSocket: socket });
      expect(withAgent.agent.running).toBe(true);
      const find = (name: string) => withAgent.keys.find((key) => key.name === name)!;
      expect(find('id_ed25519')).toMatchObject({ inAgent: true, warnings: [] });
      expect(find('from-elsewhere')).toMatchObject({ inAgent: true, type: 'ECDSA', passphrase: 'unknown', fingerprint: (await keygenSays(`${elsewhere}.pub`)).fingerprint });
      expect(find('from-elsewhere').privateKeyPath).toBeUndefined();
      expect(find('id_ecdsa384').warnings).toContainEqual(expect.objectContaining({ code: 'not-in-agent', fix: `Run \`ssh-add ${path.join(folder, 'id_ecdsa384')}\` so git can use it without asking.` }));
    } finally {
      process.kill(pid);
    }
  });

  it('says so when SSH_AUTH_SOCK points at no agent', async () => {
    const result = await listKeys({ folder, agentSocket: path.join(temp.path, 'no-agent.sock') });
    expect(result.agent).toMatchObject({ running: false, detail: expect.stringContaining('did not answer') });
    expect(result.keys.length).toBe(inventory.keys.length);
  });
});
