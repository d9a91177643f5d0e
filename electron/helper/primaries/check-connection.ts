/**
 * "Is this a Bitbucket server, and do these credentials work?" application-properties needs no
 * authentication and gives the version; the repository search with limit=1 needs the
 * credentials, so a wrong token is caught now rather than at the first clone.
 */
import { ContractError, type PrimaryConnection } from '../../../shared/contract';
import { applicationPropertiesSchema } from '../bitbucket/schemas';
import type { BitbucketClient } from '../bitbucket/rest-client';

export async function checkConnection(client: BitbucketClient, options: { authenticated: boolean; signal?: AbortSignal }): Promise<PrimaryConnection> {
  const properties = await client.getJson('/rest/api/1.0/application-properties', applicationPropertiesSchema, { signal: options.signal, authenticated: false }).catch((error: unknown) => {
    if (error instanceof ContractError && error.code === 'NOT_FOUND') {
      throw new ContractError('NOT_BITBUCKET', `${new URL(client.baseUrl).host} has no Bitbucket REST API at this address.`, {
        hint: 'Check the address, including any context path such as /bitbucket.',
      });
    }
    throw error;
  });
  let username: string | undefined;
  if (options.authenticated) {
    const response = await client.request('GET', '/rest/api/1.0/repos', { signal: options.signal, query: { limit: 1 } });
    if (response.status !== 200) throw client.failure(response);
    // Bitbucket names the authenticated user in X-AUSERNAME; git needs it to send a personal
    // access token as a password later.
    const header = response.headers['x-ausername'];
    username = typeof header === 'string' && header ? header : undefined;
  }
  return {
    baseUrl: client.baseUrl,
    version: properties.version,
    displayName: properties.displayName,
    authenticated: options.authenticated,
    username,
    insecure: client.baseUrl.startsWith('http:'),
  };
}
