/**
 * Where a primary's credentials come from: the keychain for connected primaries, or
 * MIRROR_CLONE_TOKEN for the one primary a CLI/CI invocation names explicitly. The environment
 * token is never offered to a primary the caller did not name.
 */
import { ContractError } from '../../../shared/contract';
import type { PrimaryCredentials } from '../bitbucket/rest-client';
import type { SecretStore } from '../store/secret-store';
import { z } from 'zod';

const storedSecretSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: z.string() }),
  z.object({ kind: z.literal('password'), username: z.string(), password: z.string() }),
]);

export interface CredentialSource {
  /** `named`: the caller named this primary itself (a URL it passed), so the environment token may apply. */
  forPrimary(baseUrl: string, options?: { named?: boolean }): Promise<PrimaryCredentials | undefined>;
  save(baseUrl: string, credentials: PrimaryCredentials): Promise<void>;
  forget(baseUrl: string): Promise<void>;
}

export function createCredentialSource(deps: { secrets: SecretStore; environmentToken?: string }): CredentialSource {
  const account = (baseUrl: string) => `primary:${baseUrl}`;
  return {
    async forPrimary(baseUrl, options = {}) {
      if (options.named && deps.environmentToken) return { kind: 'token', token: deps.environmentToken };
      let stored: string | undefined;
      try {
        stored = await deps.secrets.get(account(baseUrl));
      } catch (error) {
        if (deps.environmentToken) return undefined;
        throw error;
      }
      if (!stored) return undefined;
      const parsed = storedSecretSchema.safeParse(JSON.parse(stored));
      if (!parsed.success) throw new ContractError('INTERNAL', `The keychain entry for ${baseUrl} is damaged.`, { hint: 'Connect the primary again.' });
      return parsed.data;
    },
    save: (baseUrl, credentials) => deps.secrets.set(account(baseUrl), JSON.stringify(credentials)),
    async forget(baseUrl) {
      await deps.secrets.delete(account(baseUrl));
    },
  };
}
