/**
 * The key types and lengths Bitbucket's administrators allow (8.7+, /rest/ssh/latest/admin).
 * Usually only administrators may read them; for everyone else the answer is "unknown", and the
 * real login attempts and the upload's 400 tell instead.
 */
import { z } from 'zod';
import { ContractError } from '../../../shared/contract';
import type { BitbucketClient } from '../bitbucket/rest-client';

const adminSettingsSchema = z.object({
  keyTypeRestrictions: z.array(z.object({ algorithm: z.string(), allowed: z.boolean(), minKeyLength: z.number().nullable().optional() })),
});

export interface KeyRestriction {
  allowed: boolean;
  minKeyLength?: number;
}

/** Keyed by our type names (RSA, ED25519, ECDSA-SK, ...). */
export async function readKeyRestrictions(client: BitbucketClient, signal?: AbortSignal): Promise<Map<string, KeyRestriction> | undefined> {
  try {
    const settings = await client.getJson('/rest/ssh/latest/admin', adminSettingsSchema, { signal });
    return new Map(settings.keyTypeRestrictions.map((entry) => [entry.algorithm.toUpperCase().replace('_', '-'), { allowed: entry.allowed, minKeyLength: entry.minKeyLength ?? undefined }]));
  } catch (error) {
    if (error instanceof ContractError && error.code === 'CANCELLED') throw error;
    return undefined;
  }
}
