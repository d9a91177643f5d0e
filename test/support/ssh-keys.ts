/** Putting a user's public key on the emulated primary, as a person would on their account page. */
import { readFile } from 'node:fs/promises';
import type { Topology } from '../fixtures/bitbucket/topology';

export async function uploadPublicKey(topology: Topology, publicKeyFile: string): Promise<void> {
  const response = await fetch(`${topology.primary.baseUrl}/rest/ssh/1.0/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${topology.credentials.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: (await readFile(publicKeyFile, 'utf8')).trim() }),
  });
  if (response.status !== 201) throw new Error(`uploading ${publicKeyFile} answered ${response.status}: ${await response.text()}`);
}
