/**
 * Making a new SSH key with ssh-keygen (Node's crypto where it is missing): OpenSSH format,
 * private key 0600, never over an existing
 * file (id_ecdsa taken → id_ecdsa_mirror-clone, then _2, ...). The type offered by default is one
 * every server the user checked accepts: Ed25519, unless some server refused an Ed25519 key
 * while accepting another type (as some Bitbucket mirrors do), then ECDSA.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { ContractError, type KeyCheckServer, type SshKey } from '../../../shared/contract';
import { parsePublicKeyLine, type ParsedPublicKey } from './wire-format';
import { generateWithNode } from './node-keygen';

const run = promisify(execFile);

export type GeneratedKeyType = 'ed25519' | 'ecdsa' | 'rsa';

const exists = (file: string) => access(file).then(() => true, () => false);

async function freeName(folder: string, base: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const name = attempt === 0 ? base : attempt === 1 ? `${base}_mirror-clone` : `${base}_mirror-clone_${attempt}`;
    const file = path.join(folder, name);
    if (!(await exists(file)) && !(await exists(`${file}.pub`))) return file;
  }
  throw new ContractError('CONFLICT', `No free file name for a new key in ${folder}.`);
}

async function hasSshKeygen(): Promise<boolean> {
  return run('ssh-keygen', ['-?']).then(() => true, (error: { code?: string }) => error.code !== 'ENOENT');
}

export async function generateKey(options: { folder: string; type: GeneratedKeyType; bits?: number; comment?: string; passphrase?: string; signal?: AbortSignal; /** Tests: force Node's crypto. */ useNode?: boolean }): Promise<{ privateKeyPath: string; publicKeyPath: string; key: ParsedPublicKey }> {
  await mkdir(options.folder, { recursive: true, mode: 0o700 });
  const file = await freeName(options.folder, `id_${options.type}`);
  const bits = options.type === 'ed25519' ? undefined : (options.bits ?? (options.type === 'rsa' ? 4096 : 521));
  const size = bits ? ['-b', String(bits)] : [];
  const comment = options.comment ?? 'mirror-clone';
  if (options.useNode ?? !(await hasSshKeygen())) {
    if (options.passphrase) throw new ContractError('INVALID_PARAMS', 'A passphrase needs ssh-keygen (OpenSSH), which is not installed here.', { hint: 'Install OpenSSH, or make the key without a passphrase.' });
    const made = generateWithNode(options.type, comment, bits);
    // 'wx': never over a file that appeared since the name was chosen.
    await writeFile(file, made.privateKey, { mode: 0o600, flag: 'wx' });
    await writeFile(`${file}.pub`, made.publicLine, { mode: 0o644, flag: 'wx' });
  } else {
    try {
      // -N is the only way to give ssh-keygen a passphrase without a terminal; it lives for the
      // fraction of a second the key takes, in this user's own process list.
      await run('ssh-keygen', ['-q', '-t', options.type, ...size, '-C', comment, '-N', options.passphrase ?? '', '-f', file], { signal: options.signal });
    } catch (error) {
      throw new ContractError('INTERNAL', `ssh-keygen could not make the key: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
    }
  }
  const key = parsePublicKeyLine(await readFile(`${file}.pub`, 'utf8'));
  return { privateKeyPath: file, publicKeyPath: `${file}.pub`, key };
}

/** Ed25519 unless a server refused an Ed25519 key while accepting another key type. */
export function recommendedKeyType(servers: KeyCheckServer[], keys: SshKey[]): GeneratedKeyType {
  const typeOf = new Map(keys.map((key) => [key.id, key.type]));
  const refusesEd25519 = servers.some(
    (server) =>
      server.results.some((result) => result.outcome === 'refused' && typeOf.get(result.key) === 'ED25519') &&
      server.results.some((result) => result.outcome === 'accepted' && typeOf.get(result.key) !== 'ED25519'),
  );
  return refusesEd25519 ? 'ecdsa' : 'ed25519';
}
