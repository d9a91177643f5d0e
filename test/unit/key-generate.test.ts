/**
 * Keys made in-process are real OpenSSH keys: OpenSSH's own ssh-keygen reads each private key,
 * derives the same public key and fingerprint, and opens an encrypted one with its passphrase
 * only. (The passphrase is given to ssh-keygen with -P here, in a test, never by the app.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateKey } from '../../electron/helper/keys/generate';
import { readPrivateKey } from '../../electron/helper/keys/private-key';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
let folder: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  folder = await makeTempDir('key-generate');
});
afterAll(() => folder.cleanup());

const derivePublicKey = async (file: string, passphrase: string) => (await run('ssh-keygen', ['-y', '-P', passphrase, '-f', file])).stdout.trim();

describe('keys made in-process', () => {
  it.each([
    ['ed25519', undefined, 'ED25519', 256],
    ['ecdsa', undefined, 'ECDSA', 521],
    ['ecdsa', 384, 'ECDSA', 384],
    ['ecdsa', 256, 'ECDSA', 256],
    ['rsa', undefined, 'RSA', 4096],
    ['rsa', 3072, 'RSA', 3072],
  ] as const)('%s %s: ssh-keygen reads the private key and agrees on the public key', async (type, bits, expectedType, expectedBits) => {
    const made = await generateKey({ folder: folder.path, type, bits, comment: 'dev@laptop' });
    expect(made.key).toMatchObject({ type: expectedType, bits: expectedBits, comment: 'dev@laptop' });
    expect((await stat(made.privateKeyPath)).mode & 0o777).toBe(0o600);
    expect(readPrivateKey(await readFile(made.privateKeyPath, 'utf8'))).toMatchObject({ format: 'openssh', encrypted: false });
    expect((await derivePublicKey(made.privateKeyPath, '')).split(' ').slice(0, 2).join(' ')).toBe(made.key.text);
    const listed = (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', made.publicKeyPath])).stdout;
    expect(listed).toContain(made.key.fingerprint);
    expect(listed).toContain('dev@laptop');
  });

  it.each(['ed25519', 'ecdsa', 'rsa'] as const)('%s with a passphrase: encrypted, and opened by that passphrase only', async (type) => {
    const passphrase = `pässphrase for ${type} with spaces & $(symbols)`;
    const made = await generateKey({ folder: folder.path, type, bits: type === 'rsa' ? 3072 : undefined, comment: 'encrypted one', passphrase });
    expect(readPrivateKey(await readFile(made.privateKeyPath, 'utf8'))).toMatchObject({ format: 'openssh', encrypted: true });
    expect(await readFile(made.privateKeyPath, 'utf8')).not.toContain(passphrase);
    expect((await derivePublicKey(made.privateKeyPath, passphrase)).split(' ').slice(0, 2).join(' ')).toBe(made.key.text);
    await expect(derivePublicKey(made.privateKeyPath, 'wrong passphrase')).rejects.toThrow(/incorrect passphrase/);
    await expect(derivePublicKey(made.privateKeyPath, '')).rejects.toThrow(/incorrect passphrase/);
    // ssh-keygen can change it, which needs the old one to decrypt the key first.
    await run('ssh-keygen', ['-p', '-P', passphrase, '-N', 'another one', '-f', made.privateKeyPath]);
    expect((await derivePublicKey(made.privateKeyPath, 'another one')).split(' ').slice(0, 2).join(' ')).toBe(made.key.text);
  });

  it('refuses what cannot work, saying what to do, without repeating the passphrase', async () => {
    const before = await readdir(folder.path);
    await expect(generateKey({ folder: folder.path, type: 'rsa', bits: 521 })).rejects.toMatchObject({ code: 'INVALID_PARAMS', hint: expect.stringContaining('4096 or 3072') });
    await expect(generateKey({ folder: folder.path, type: 'ed25519', bits: 4096 })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(generateKey({ folder: folder.path, type: 'ed25519', comment: 'two\nlines' })).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('comment') });
    const secret = 'first line\nsecond line';
    const refused = (await generateKey({ folder: folder.path, type: 'ed25519', passphrase: secret }).then(
      () => ({}),
      (error: unknown) => error,
    )) as { code: string; message: string; hint: string };
    expect(refused).toMatchObject({ code: 'INVALID_PARAMS', hint: expect.stringContaining('one line') });
    expect(JSON.stringify(refused)).not.toContain('first line');
    expect(`${refused.message} ${refused.hint}`).not.toContain('second line');
    expect(await readdir(folder.path)).toEqual(before);
  });

  it('makes nothing once cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const empty = path.join(folder.path, 'cancelled');
    await expect(generateKey({ folder: empty, type: 'ed25519', signal: controller.signal })).rejects.toThrow();
    await expect(readdir(empty)).rejects.toThrow();
  });
});
