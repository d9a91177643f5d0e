/**
 * Keys made with Node's crypto (for machines without ssh-keygen) are real OpenSSH keys: OpenSSH's
 * own ssh-keygen reads the private key, derives the same public key and the same fingerprint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { generateKey } from '../../electron/helper/keys/generate';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
let folder: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  folder = await makeTempDir('node-keygen');
});
afterAll(() => folder.cleanup());

describe("keys made with Node's crypto", () => {
  it.each(['ed25519', 'ecdsa', 'rsa'] as const)('%s: ssh-keygen reads the private key and agrees on the public key', async (type) => {
    const made = await generateKey({ folder: folder.path, type, comment: 'made-by-node', useNode: true });
    expect((await stat(made.privateKeyPath)).mode & 0o777).toBe(0o600);
    const derived = (await run('ssh-keygen', ['-y', '-f', made.privateKeyPath])).stdout.trim();
    expect(derived.split(' ').slice(0, 2).join(' ')).toBe(made.key.text);
    const listed = (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', made.publicKeyPath])).stdout;
    expect(listed).toContain(made.key.fingerprint);
    expect(listed).toContain('made-by-node');
  });

  it('refuses a passphrase, which needs ssh-keygen', async () => {
    await expect(generateKey({ folder: folder.path, type: 'ed25519', passphrase: 'secret', useNode: true })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});
