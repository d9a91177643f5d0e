/**
 * Fetches a team file a `mirror-clone://team?url=` link names. Anyone can write such a link, so
 * the request is kept small and plain: https only (a redirect too), no credentials of any kind
 * (the primary's token never goes to a file host), a size and a time limit, and cancellable.
 * What comes back is only passed on as text if it could be a team file: a sign-in page, an error
 * page or a refusal becomes a message that says what happened and what to do instead.
 */
import { ContractError } from '../../../shared/contract';
import { maxTeamFileBytes } from '../../../shared/team-file';
import { errorFromNetworkFailure } from '../bitbucket/http-failure';
import { httpRequest, type HttpRequestOptions, type HttpResponse } from '../net/http-request';
import { NetworkError } from '../net/network-error';
import type { ExtraCa } from '../net/trust';

export interface TeamFileFetchOptions {
  signal?: AbortSignal;
  /** The company CA trusted in Settings, as for every other https request. */
  ca?: ExtraCa;
  timeoutMs?: number;
  maxBytes?: number;
  /** The request itself; a test may pass one that records. */
  request?: (options: HttpRequestOptions) => Promise<HttpResponse>;
}

export interface FetchedTeamFile {
  url: string;
  name: string;
  text: string;
}

const defaultTimeoutMs = 15_000;
/** Enough for a file host that moves files (a wiki, a web server's http→https); more is a loop. */
const maxRedirects = 3;

const downloadHint = 'Download the file in your browser, then drop it on the mirror-clone window or open it with "Open team file…".';

/** The address, if a team file may be fetched from it: https, and no name or password in it. */
function teamFileAddress(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ContractError('UNSAFE_URL', `The ${what} is not a valid address.`);
  }
  if (url.protocol !== 'https:') throw new ContractError('UNSAFE_URL', `The ${what} is not https (${url.protocol}); a team file is fetched only over https.`);
  if (url.username || url.password) throw new ContractError('UNSAFE_URL', `The ${what} carries a user name or password; a team file is fetched without credentials.`);
  return url;
}

function fileName(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).at(-1);
  try {
    return last ? decodeURIComponent(last) : url.host;
  } catch {
    return last ?? url.host;
  }
}

/** A body that is a web page rather than data: what a sign-in wall or a wiki's viewer answers. */
function isWebPage(response: HttpResponse, text: string): boolean {
  const type = String(response.headers['content-type'] ?? '').toLowerCase();
  return type.startsWith('text/html') || type.startsWith('application/xhtml') || /^<(!doctype|html|head|body)\b/i.test(text.trimStart());
}

function refusal(response: HttpResponse, url: URL): ContractError {
  const host = url.host;
  if (response.status === 401 || response.status === 403) {
    return new ContractError('UNAUTHORIZED', `${host} asks to sign in before it gives the team file (HTTP ${response.status}); mirror-clone sends no credentials with a team file.`, { hint: downloadHint });
  }
  if (response.status === 404 || response.status === 410) {
    return new ContractError('NOT_FOUND', `There is no team file at ${url.href} (HTTP ${response.status}).`, { hint: 'Ask whoever sent the link for a new one.' });
  }
  return new ContractError('NETWORK', `${host} answered HTTP ${response.status} instead of the team file.`, { hint: response.status >= 500 ? 'The server has a problem; try again later.' : downloadHint });
}

function networkFailure(error: unknown, url: URL, maxBytes: number): ContractError {
  if (error instanceof NetworkError && error.kind === 'too-large') {
    return new ContractError('NETWORK', `The file at ${url.host} is larger than ${Math.round(maxBytes / 1024)} KB; a team file is a few KB, so this is not one.`, { hint: 'Check the link with whoever sent it.' });
  }
  return errorFromNetworkFailure(error, url.host);
}

export async function fetchTeamFile(address: string, options: TeamFileFetchOptions = {}): Promise<FetchedTeamFile> {
  const request = options.request ?? httpRequest;
  const maxBytes = options.maxBytes ?? maxTeamFileBytes;
  // One deadline for the whole chain of redirects, not one per hop.
  const deadline = Date.now() + (options.timeoutMs ?? defaultTimeoutMs);
  let url = teamFileAddress(address, 'team file address');
  for (let hop = 0; ; hop += 1) {
    let response: HttpResponse;
    try {
      response = await request({
        url,
        signal: options.signal,
        timeoutMs: Math.max(1, deadline - Date.now()),
        ca: options.ca,
        maxBodyBytes: maxBytes,
        headers: { Accept: 'application/json, text/plain;q=0.9, */*;q=0.1' },
      });
    } catch (error) {
      throw networkFailure(error, url, maxBytes);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.location) {
      if (hop >= maxRedirects) throw new ContractError('NETWORK', `${url.host} sent the request on more than ${maxRedirects} times; the team file was not reached.`, { hint: downloadHint });
      url = teamFileAddress(new URL(response.headers.location, url).href, 'address the team file was moved to');
      continue;
    }
    if (response.status !== 200) throw refusal(response, url);
    // A byte-order mark is what some editors save; JSON does not allow one.
    const text = response.text().replace(/^\uFEFF/, '');
    if (isWebPage(response, text)) {
      throw new ContractError('NOT_FOUND', `${url.host} answered with a web page, not a team file: the link may lead to a sign-in page or to a page that shows the file.`, { hint: downloadHint });
    }
    return { url: url.href, name: fileName(url), text };
  }
}
