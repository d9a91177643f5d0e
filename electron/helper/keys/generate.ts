/**
 * Making a new SSH key: OpenSSH format, private key 0600, never over an existing file (id_ecdsa
 * taken → id_ecdsa_mirror-clone, then _2, ...). The type offered by default is one every server
 * the user checked accepts: Ed25519, unless some server refused an Ed25519 key while accepting
 * another type (as some Bitbucket mirrors do), then ECDSA.
 *
 * The key is made and encrypted in this process (ssh2's key generator: Node's crypto for the key
 * pair, bcrypt-pbkdf and AES-256-CTR for the passphrase, as ssh-keygen does), not by running
 * ssh-keygen. ssh-keygen takes a passphrase without a terminal only as `-N <passphrase>`, and a
 * process's arguments are readable by every local user (/proc/<pid>/cmdline), so the passphrase
 * never leaves this process: no argv, no environment, no file. It also works where OpenSSH is
 * not installed, with or without a passphrase.
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ssh2 from 'ssh2';
import { ContractError, type KeyCheckServer, type SshKey } from '../../../shared/contract';
import { parsePublicKeyLine, type ParsedPublicKey } from './wire-format';

export type GeneratedKeyType = 'ed25519' | 'ecdsa' | 'rsa';

/** The sizes offered per type, the first being the default. Ed25519 has one size. */
export const keySizes: Record<GeneratedKeyType, readonly number[]> = { ed25519: [256], ecdsa: [521, 384, 256], rsa: [4096, 3072] };

// ssh-keygen's own defaults for a new key: 16 rounds of bcrypt-pbkdf, then AES-256 in CTR mode.
const kdfRounds = 16;
const cipher = 'aes256-ctr';

const exists = (file: string) => access(file).then(() => true, () => false);

async function freeName(folder: string, base: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const name = attempt === 0 ? base : attempt === 1 ? `${base}_mirror-clone` : `${base}_mirror-clone_${attempt}`;
    const file = path.join(folder, name);
    if (!(await exists(file)) && !(await exists(`${file}.pub`))) return file;
  }
  throw new ContractError('CONFLICT', `No free file name for a new key in ${folder}.`);
}

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/;

/** Says what is wrong with the request, never repeating the passphrase itself. */
function checkRequest(type: GeneratedKeyType, bits: number | undefined, comment: string, passphrase: string | undefined): void {
  if (bits !== undefined && !keySizes[type].includes(bits)) {
    throw new ContractError('INVALID_PARAMS', `${bits} bits is not a size for ${type} keys.`, { hint: `Choose ${keySizes[type].join(' or ')} bits for ${type}, or leave the size out.` });
  }
  // The comment ends the one-line public key: a line break would split it in two.
  if (controlCharacters.test(comment)) throw new ContractError('INVALID_PARAMS', 'The key comment has a line break or another control character.', { hint: 'Use a comment on one line, e.g. you@laptop.' });
  // ssh, ssh-add and askpass programs read a passphrase up to the end of a line: one with a
  // line break in it could never be typed back.
  if (passphrase !== undefined && /[\r\n\0]/.test(passphrase)) {
    throw new ContractError('INVALID_PARAMS', 'The passphrase has a line break or a NUL character, which no passphrase prompt can take.', { hint: 'Choose a passphrase on one line.' });
  }
}

function makeKeyPair(type: GeneratedKeyType, bits: number, comment: string, passphrase: string | undefined): Promise<{ private: string; public: string }> {
  // The key pair is made off the main thread; encrypting it (bcrypt-pbkdf, a few hundred ms)
  // runs on it.
  return new Promise((resolve, reject) => {
    const options = passphrase ? { bits, comment, passphrase, cipher, rounds: kdfRounds } : { bits, comment };
    ssh2.utils.generateKeyPair(type, options, (error, keys) => (error ? reject(error) : resolve(keys)));
  });
}

export async function generateKey(options: { folder: string; type: GeneratedKeyType; bits?: number; comment?: string; passphrase?: string; signal?: AbortSignal }): Promise<{ privateKeyPath: string; publicKeyPath: string; key: ParsedPublicKey }> {
  const comment = options.comment ?? 'mirror-clone';
  checkRequest(options.type, options.bits, comment, options.passphrase);
  const bits = options.bits ?? keySizes[options.type][0]!;
  options.signal?.throwIfAborted();

  let made: { private: string; public: string };
  try {
    made = await makeKeyPair(options.type, bits, comment, options.passphrase || undefined);
  } catch (error) {
    // ssh2's messages name options and sizes, never the passphrase.
    throw new ContractError('INTERNAL', `The key could not be made: ${(error as Error).message}`);
  }
  options.signal?.throwIfAborted();

  await mkdir(options.folder, { recursive: true, mode: 0o700 });
  const file = await freeName(options.folder, `id_${options.type}`);
  // 'wx': never over a file that appeared since the name was chosen.
  await writeFile(file, made.private, { mode: 0o600, flag: 'wx' });
  try {
    await writeFile(`${file}.pub`, `${made.public}\n`, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    await rm(file, { force: true }); // no private key without its public half
    throw error;
  }
  return { privateKeyPath: file, publicKeyPath: `${file}.pub`, key: parsePublicKeyLine(made.public) };
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
