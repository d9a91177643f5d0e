/**
 * SSH host keys: whether a server is already known, what key it presents, and adding it to
 * known_hosts — only when the user has confirmed that exact fingerprint. Nothing here ever
 * accepts a key by itself (no StrictHostKeyChecking=accept-new).
 */
import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ContractError } from '../../../shared/contract';

const run = promisify(execFile);

export interface ScannedHostKey {
  host: string;
  port: number;
  keyType: string;
  /** As `ssh-keygen -l` prints it: SHA256:base64. */
  fingerprint: string;
  /** The known_hosts line for this key. */
  line: string;
}

export function defaultKnownHostsFile(): string {
  return path.join(os.homedir(), '.ssh', 'known_hosts');
}

/** The name a known_hosts file uses: `host`, or `[host]:port` for a port other than 22. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function checkHost(host: string): void {
  // Never let a host name become an option to ssh-keyscan or ssh-keygen.
  if (!/^[A-Za-z0-9.:_\-[\]]+$/.test(host) || host.startsWith('-')) throw new ContractError('UNSAFE_URL', `"${host}" is not a host name.`);
}

export async function isHostKnown(host: string, port: number, knownHostsFile: string): Promise<boolean> {
  checkHost(host);
  try {
    const { stdout } = await run('ssh-keygen', ['-F', knownHostsName(host, port), '-f', knownHostsFile]);
    return stdout.trim().length > 0;
  } catch {
    return false; // exit 1: not found (or no file yet)
  }
}

export async function scanHostKeys(host: string, port: number, options: { signal?: AbortSignal; timeoutSeconds?: number } = {}): Promise<ScannedHostKey[]> {
  checkHost(host);
  const { stdout } = await run('ssh-keyscan', ['-T', String(options.timeoutSeconds ?? 5), '-p', String(port), host], { signal: options.signal }).catch(() => ({ stdout: '' }));
  const lines = stdout.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
  const keys: ScannedHostKey[] = [];
  for (const line of lines) {
    const [, keyType, key] = line.trim().split(/\s+/);
    if (!keyType || !key) continue;
    const fingerprint = await fingerprintOf(`${keyType} ${key}`);
    if (fingerprint) keys.push({ host, port, keyType, fingerprint, line: `${knownHostsName(host, port)} ${keyType} ${key}` });
  }
  return keys;
}

async function fingerprintOf(publicKey: string): Promise<string | undefined> {
  const child = execFile('ssh-keygen', ['-l', '-E', 'sha256', '-f', '-']);
  child.stdin?.end(`${publicKey}\n`);
  const output = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('close', () => resolve(text));
  });
  return /SHA256:[A-Za-z0-9+/=]+/.exec(output)?.[0];
}

/**
 * Adds the key with exactly this fingerprint, as the server presents it now, to known_hosts.
 * A mismatch (the server now shows another key) is refused: that is what a man in the middle
 * would look like.
 */
export async function trustHostKey(options: { host: string; port: number; fingerprint: string; knownHostsFile: string; signal?: AbortSignal }): Promise<{ added: boolean }> {
  const keys = await scanHostKeys(options.host, options.port, { signal: options.signal });
  const key = keys.find((candidate) => candidate.fingerprint === options.fingerprint.trim());
  if (!key) {
    const shown = keys.map((candidate) => candidate.fingerprint).join(', ') || 'none (it did not answer)';
    throw new ContractError('CONFLICT', `${knownHostsName(options.host, options.port)} does not present the key ${options.fingerprint}; it presents ${shown}.`, {
      hint: 'Do not trust it until your Bitbucket administrators confirm which fingerprint is right.',
    });
  }
  const existing = await readFile(options.knownHostsFile, 'utf8').catch(() => '');
  if (existing.split('\n').includes(key.line)) return { added: false };
  await mkdir(path.dirname(options.knownHostsFile), { recursive: true, mode: 0o700 });
  await appendFile(options.knownHostsFile, `${existing && !existing.endsWith('\n') ? '\n' : ''}${key.line}\n`, { mode: 0o600 });
  return { added: true };
}
