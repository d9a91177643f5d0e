/** Putting a user's public key on the emulated primary, as a person would on their account page. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Topology } from '../fixtures/bitbucket/topology';

export async function uploadPublicKey(topology: Topology, publicKeyFile: string): Promise<void> {
  const response = await fetch(`${topology.primary.baseUrl}/rest/ssh/1.0/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${topology.credentials.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: (await readFile(publicKeyFile, 'utf8')).trim() }),
  });
  if (response.status !== 201) throw new Error(`uploading ${publicKeyFile} answered ${response.status}: ${await response.text()}`);
}

export interface SshUser {
  /** The private key's path (the public one beside it, `.pub`). */
  key: string;
  knownHosts: string;
  /** Puts GIT_SSH_COMMAND back as it was. */
  restore(): void;
}

/**
 * A user with an ECDSA key in `folder`, uploaded to the primary, and a known_hosts file holding
 * `knownHostsLines`; GIT_SSH_COMMAND carries both, as the user's own ssh setup would.
 */
export async function setUpSshUser(topology: Topology, folder: string, knownHostsLines: string[] = []): Promise<SshUser> {
  const key = path.join(folder, 'id_ecdsa');
  await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-C', 'dev@laptop', '-f', key]);
  await uploadPublicKey(topology, `${key}.pub`);
  const knownHosts = path.join(folder, 'known_hosts');
  await writeFile(knownHosts, knownHostsLines.map((line) => `${line}\n`).join(''));
  const saved = process.env.GIT_SSH_COMMAND;
  process.env.GIT_SSH_COMMAND = `ssh -i ${key} -o IdentitiesOnly=yes -o UserKnownHostsFile=${knownHosts}`;
  return {
    key,
    knownHosts,
    restore() {
      if (saved === undefined) delete process.env.GIT_SSH_COMMAND;
      else process.env.GIT_SSH_COMMAND = saved;
    },
  };
}
