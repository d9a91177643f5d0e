/**
 * The user's SSH keys: the key files in one folder (~/.ssh unless told otherwise) and the keys
 * the running agent holds, merged by fingerprint. Nothing here is fatal: a file that is not a
 * usable key becomes an entry with a problem, so the user sees it instead of a failure.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KeyInventory, SshKey } from '../../../shared/contract/domains/keys';
import { listAgentKeys } from './agent';
import { readPrivateKey, type PrivateKeyFacts } from './private-key';
import { keyWarnings } from './warnings';
import { MalformedKey, parsePublicKeyLine, type ParsedPublicKey } from './wire-format';

export interface InventoryOptions {
  folder: string;
  /** The agent's socket (SSH_AUTH_SOCK); undefined: no agent. */
  agentSocket?: string;
}

/** Key files are small; anything big in ~/.ssh is something else and is not read whole. */
const maxKeyFileBytes = 256 * 1024;

type Base = Omit<SshKey, 'warnings' | 'inAgent'>;

function fromPublic(key: Pick<ParsedPublicKey, 'type' | 'bits' | 'fingerprint' | 'text'> & { comment?: string }): Partial<Base> {
  return {
    id: key.fingerprint,
    type: key.type,
    bits: key.bits,
    fingerprint: key.fingerprint,
    comment: key.comment,
    publicKey: key.comment ? `${key.text} ${key.comment}` : key.text,
  };
}

function reason(error: unknown): string {
  return error instanceof MalformedKey ? error.message : error instanceof Error ? error.message : String(error);
}

async function readSmall(file: string): Promise<string | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > maxKeyFileBytes) return undefined;
  return readFile(file, 'utf8').catch(() => undefined);
}

/** The public half of a PEM private key without a .pub: only ssh-keygen can tell, and only without a passphrase. */
function derivePublic(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ssh-keygen', ['-y', '-P', '', '-f', file], { timeout: 5000 }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}

async function describeFiles(folder: string, names: string[]): Promise<Base[]> {
  const entries: Base[] = [];
  const handled = new Set<string>();
  const isKeyName = (name: string) => /^id_/.test(name);

  for (const name of names.sort()) {
    if (handled.has(name)) continue;
    const full = path.join(folder, name);
    const text = await readSmall(full);
    if (text === undefined) continue;

    if (name.endsWith('.pub')) {
      const privateName = name.slice(0, -4);
      if (names.includes(privateName)) continue; // described with its private key below
      handled.add(name);
      try {
        entries.push({ id: '', name: privateName, publicKeyPath: full, passphrase: 'unknown', permissionsTooOpen: false, ...fromPublic(parsePublicKeyLine(text.trim())) } as Base);
      } catch (error) {
        entries.push({ id: `file:${full}`, name, publicKeyPath: full, passphrase: 'unknown', permissionsTooOpen: false, problem: `${name} is not a public key: ${reason(error)}.` });
      }
      continue;
    }

    let facts: PrivateKeyFacts | undefined;
    let problem: string | undefined;
    try {
      facts = readPrivateKey(text);
    } catch (error) {
      problem = `${name} is not a readable private key: ${reason(error)}.`;
    }
    if (!facts && !problem) {
      // config, known_hosts, authorized_keys...: not keys, not listed. A file named like a key is.
      if (isKeyName(name)) problem = `${name} is not a private key file.`;
      else continue;
    }
    handled.add(name);
    const mode = (await stat(full)).mode & 0o777;
    const entry: Base = {
      id: `file:${full}`,
      name,
      privateKeyPath: full,
      passphrase: facts ? (facts.encrypted ? 'protected' : 'none') : 'unknown',
      mode: `0${mode.toString(8).padStart(3, '0')}`,
      // ssh refuses a private key others can read or write (its "UNPROTECTED PRIVATE KEY FILE").
      // Windows has no such mode bits (Node reports 0666), and its ssh checks ACLs instead.
      permissionsTooOpen: process.platform !== 'win32' && (mode & 0o077) !== 0,
      problem,
    };
    const publicText = names.includes(`${name}.pub`) ? await readSmall(`${full}.pub`) : undefined;
    if (publicText !== undefined) entry.publicKeyPath = `${full}.pub`;
    try {
      if (publicText !== undefined) {
        const publicKey = parsePublicKeyLine(publicText.trim());
        if (facts?.publicKey && facts.publicKey.fingerprint !== publicKey.fingerprint) {
          entry.problem ??= `${name}.pub is not the public half of ${name}.`;
        }
        Object.assign(entry, fromPublic(publicKey));
      } else if (facts?.publicKey) {
        Object.assign(entry, fromPublic(facts.publicKey));
      } else if (facts && !facts.encrypted) {
        const derived = await derivePublic(full);
        if (derived) Object.assign(entry, fromPublic(parsePublicKeyLine(derived)));
      }
    } catch (error) {
      entry.problem ??= `${name}.pub is not a public key: ${reason(error)}.`;
    }
    entries.push(entry);
  }
  return entries;
}

export async function listKeys(options: InventoryOptions): Promise<KeyInventory> {
  const folder = path.resolve(options.folder);
  const [names, agent] = await Promise.all([readdir(folder).catch(() => [] as string[]), listAgentKeys(options.agentSocket)]);
  const files = await describeFiles(folder, names);
  const inAgent = new Set(agent.keys.map((key) => key.fingerprint));
  const keys: SshKey[] = files.map((entry) => {
    const key = { ...entry, inAgent: entry.fingerprint !== undefined && inAgent.has(entry.fingerprint) };
    return { ...key, warnings: keyWarnings(key, { agentRunning: agent.running }) };
  });
  const seen = new Set(files.map((entry) => entry.fingerprint));
  for (const key of agent.keys) {
    if (seen.has(key.fingerprint)) continue;
    seen.add(key.fingerprint);
    const entry = { name: key.comment || key.fingerprint, passphrase: 'unknown' as const, permissionsTooOpen: false, inAgent: true, ...fromPublic(key) } as Omit<SshKey, 'warnings'>;
    keys.push({ ...entry, warnings: keyWarnings(entry, { agentRunning: true }) });
  }
  return { folder, agent: { running: agent.running, detail: agent.detail }, keys, defaultComment: defaultComment() };
}

/** user@host, the comment ssh-keygen itself writes, so a key on a Bitbucket account says where it lives. */
function defaultComment(): string | undefined {
  try {
    return `${os.userInfo().username}@${os.hostname()}`;
  } catch {
    return undefined; // no user name for this uid (a container): the generator's own default then
  }
}
