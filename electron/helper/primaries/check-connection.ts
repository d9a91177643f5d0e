/**
 * "Is this a Bitbucket server, and do these credentials work?" application-properties needs no
 * authentication and gives the version; the repository search with limit=1 needs the
 * credentials, so a wrong token is caught now rather than at the first clone.
 */
import { z } from 'zod';
import { ContractError, type PrimaryConnection } from '../../../shared/contract';
import { applicationPropertiesSchema } from '../bitbucket/schemas';
import type { BitbucketClient } from '../bitbucket/rest-client';
import { pageOf } from '../bitbucket/schemas';

export async function checkConnection(client: BitbucketClient, options: { authenticated: boolean; signal?: AbortSignal }): Promise<PrimaryConnection> {
  const properties = await client.getJson('/rest/api/1.0/application-properties', applicationPropertiesSchema, { signal: options.signal, authenticated: false }).catch((error: unknown) => {
    if (error instanceof ContractError && error.code === 'NOT_FOUND') {
      throw new ContractError('NOT_BITBUCKET', `${new URL(client.baseUrl).host} has no Bitbucket REST API at this address.`, {
        hint: 'Check the address, including any context path such as /bitbucket.',
      });
    }
    throw error;
  });
  if (options.authenticated) {
    await client.getJson('/rest/api/1.0/repos', pageOf(z.unknown()), { signal: options.signal, query: { limit: 1 } });
  }
  return {
    baseUrl: client.baseUrl,
    version: properties.version,
    displayName: properties.displayName,
    authenticated: options.authenticated,
    insecure: client.baseUrl.startsWith('http:'),
  };
}
