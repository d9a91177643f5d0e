/**
 * Reads a mirror's answer for one repository through the self link the primary handed out.
 * The link is fetched exactly as given and WITHOUT any Authorization header: the `?jwt=` in it
 * is the credential, and real mirrors answer 401 when the primary's token is sent
 * (bitbucket-dc-api.md §1). This function takes no credentials at all, so none can leak.
 */
import { httpRequest, type HttpRequestOptions, type HttpResponse } from '../net/http-request';
import { ContractError } from '../../../shared/contract';
import { errorFromNetworkFailure, errorFromResponse, readJsonAnswer } from './http-failure';
import { mirroredRepositorySchema, type MirroredRepository } from './schemas';
import type { ConnectionPool } from '../net/connection-pool';

export interface MirrorClientOptions {
  signal?: AbortSignal;
  ca?: string | Buffer;
  pool?: ConnectionPool;
  timeoutMs?: number;
  request?: (options: HttpRequestOptions) => Promise<HttpResponse>;
}

export async function fetchMirroredRepository(selfHref: string, mirrorName: string, options: MirrorClientOptions = {}): Promise<MirroredRepository> {
  let url: URL;
  try {
    url = new URL(selfHref);
  } catch {
    throw new ContractError('UNSAFE_URL', `The primary gave mirror "${mirrorName}" a link that is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ContractError('UNSAFE_URL', `The primary gave mirror "${mirrorName}" a ${url.protocol} link; only http and https are followed.`);
  }
  const request = options.request ?? httpRequest;
  let response: HttpResponse;
  try {
    response = await request({ url, signal: options.signal, ca: options.ca, agent: options.pool?.agentFor(url), timeoutMs: options.timeoutMs ?? 10_000 });
  } catch (error) {
    throw errorFromNetworkFailure(error, `Mirror "${mirrorName}"`);
  }
  if (response.status !== 200) throw errorFromResponse(response, `Mirror "${mirrorName}"`);
  return readJsonAnswer(response, `Mirror "${mirrorName}"`, 'its repository link', mirroredRepositorySchema);
}
