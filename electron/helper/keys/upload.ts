/**
 * Uploading a public key to the primary (/rest/ssh/1.0/keys). Bitbucket's answers become
 * messages a person can act on: 201 added; 400 the instance refuses this key (type or length,
 * often admin restrictions); 409 the key is already on Bitbucket (this account, another one, or
 * as an access key).
 */
import { z } from 'zod';
import { ContractError } from '../../../shared/contract';
import type { BitbucketClient } from '../bitbucket/rest-client';
import { serverMessage } from '../bitbucket/http-failure';
import { parsePublicKeyLine } from './wire-format';

export async function uploadKey(client: BitbucketClient, publicKey: string, options: { label?: string; signal?: AbortSignal }): Promise<{ id: number; fingerprint: string }> {
  const key = parsePublicKeyLine(publicKey.trim());
  const text = key.comment ? `${key.text} ${key.comment}` : key.text;
  const response = await client.request('POST', '/rest/ssh/1.0/keys', { signal: options.signal, body: { text, ...(options.label ? { label: options.label } : {}) } });
  const said = serverMessage(response);
  if (response.status === 201) {
    const created = z.object({ id: z.number() }).safeParse(JSON.parse(response.text()));
    return { id: created.success ? created.data.id : 0, fingerprint: key.fingerprint };
  }
  if (response.status === 400) {
    throw new ContractError('CONFLICT', `Bitbucket refused this ${key.type} key${said ? `: ${said}` : '.'}`, {
      hint: key.type === 'ED25519' ? 'This Bitbucket does not accept Ed25519 keys: generate an ECDSA key and upload that.' : 'Generate a key of another type or size (ECDSA, or RSA 4096) and upload that.',
    });
  }
  if (response.status === 409) {
    throw new ContractError('CONFLICT', `This key is already on Bitbucket${said ? `: ${said}` : '.'}`, {
      hint: 'If it is on your account, nothing more is needed. A key can be on one account only, and not also be an access key.',
    });
  }
  throw client.failure(response);
}
