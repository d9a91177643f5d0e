/**
 * The secret that opens this installation's local mirror server. One per installation, made on
 * first use and kept in the OS keychain. Where there is no keychain (a server reached over ssh,
 * a CI box) it is kept in a file in the data folder that only this user can read (0600), and the
 * log says so. Git gets it from our credential helper (serve-access.ts), never from a URL,
 * argv or a config file.
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from '../store/secret-store';
import type { Logger } from '../logger';

export type SecretPlace = 'keychain' | 'file';

const keychainAccount = 'local-mirrors';
const wellFormed = /^[A-Za-z0-9_-]{43}$/;

export function secretFile(dataDir: string): string {
  return path.join(dataDir, 'local-mirrors.secret');
}

const newSecret = () => randomBytes(32).toString('base64url');

async function readSecretFile(file: string, logger?: Logger): Promise<string | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  if ((info.mode & 0o077) !== 0) {
    await chmod(file, 0o600);
    logger?.warn('the local mirrors secret file was readable by others; it is now readable by you only', { file });
  }
  const text = (await readFile(file, 'utf8')).trim();
  return wellFormed.test(text) ? text : undefined;
}

async function fileSecret(dataDir: string, logger: Logger): Promise<string> {
  const file = secretFile(dataDir);
  const existing = await readSecretFile(file, logger);
  if (existing) return existing;
  const secret = newSecret();
  // A damaged file is replaced by a new one created 0600 in one step, so the secret is never
  // readable by others even for a moment.
  await rm(file, { force: true });
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another helper of this installation made it first: use that one.
    const made = (error as NodeJS.ErrnoException).code === 'EEXIST' ? await readSecretFile(file, logger) : undefined;
    if (made) return made;
    throw error;
  }
  return secret;
}

/** The server's side: the secret and where it is kept, made on first use. */
export async function ensureServeSecret(deps: { secrets: SecretStore; dataDir: string; logger: Logger }): Promise<{ secret: string; keptIn: SecretPlace }> {
  try {
    const stored = await deps.secrets.get(keychainAccount);
    if (stored && wellFormed.test(stored)) return { secret: stored, keptIn: 'keychain' };
    const secret = newSecret();
    await deps.secrets.set(keychainAccount, secret);
    return { secret, keptIn: 'keychain' };
  } catch {
    deps.logger.warn('the OS keychain is not available: the local mirrors secret is kept in a file readable by you only', { file: secretFile(deps.dataDir) });
    return { secret: await fileSecret(deps.dataDir, deps.logger), keptIn: 'file' };
  }
}

/** The credential helper's side: reads the secret where the running server keeps it; never makes one. */
export async function readServeSecret(deps: { secrets: SecretStore; dataDir: string }, keptIn: SecretPlace): Promise<string | undefined> {
  if (keptIn === 'file') return readSecretFile(secretFile(deps.dataDir));
  const stored = await deps.secrets.get(keychainAccount);
  return stored && wellFormed.test(stored) ? stored : undefined;
}
