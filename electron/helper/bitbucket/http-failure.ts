/**
 * Turns what went wrong talking to a Bitbucket server into a ContractError a person can act on.
 * Messages name the server and never contain credentials.
 */
import { ContractError } from '../../../shared/contract';
import { NetworkError } from '../net/network-error';
import type { HttpResponse } from '../net/http-request';
import type { z } from 'zod';
import { errorBodySchema } from './schemas';

export function serverMessage(response: HttpResponse): string | undefined {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(response.text()));
    return parsed.success ? parsed.data.errors.map((error) => error.message).join(' ') : undefined;
  } catch {
    return undefined;
  }
}

export function looksLikeHtml(response: HttpResponse): boolean {
  const type = String(response.headers['content-type'] ?? '');
  return type.includes('text/html') || /^\s*<(!doctype|html)/i.test(response.text().slice(0, 200));
}

export function notBitbucket(serverName: string, what: string): ContractError {
  return new ContractError('NOT_BITBUCKET', `${serverName} ${what}, not Bitbucket's REST API.`, {
    hint: 'Check the address: it is the Bitbucket base URL you open in a browser, including any context path such as /bitbucket. If it is right, a sign-in page or proxy in front of Bitbucket answered instead: ask its administrators to let REST requests through.',
  });
}

/**
 * Reads a 200 answer as JSON of the expected shape. Whatever else came (a web page, a body that
 * breaks off, JSON of another shape) becomes a NOT_BITBUCKET error that names the server and what
 * it was asked, never the parser's own words.
 */
export function readJsonAnswer<T extends z.ZodType>(response: HttpResponse, serverName: string, asked: string, schema: T): z.output<T> {
  if (looksLikeHtml(response)) throw notBitbucket(serverName, `answered ${asked} with a web page`);
  let json: unknown;
  try {
    json = JSON.parse(response.text());
  } catch {
    throw new ContractError('NOT_BITBUCKET', `${serverName} answered ${asked} with JSON that breaks off or is not JSON at all (${response.body.length} bytes).`, {
      hint: `The answer was cut short or changed on the way. Try again; if it keeps happening, a proxy between this computer and ${serverName} is altering answers: tell its administrators.`,
      details: { host: serverName, path: asked },
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'the whole answer';
    throw new ContractError('NOT_BITBUCKET', `${serverName} answered ${asked} in a shape Bitbucket's REST API does not have (at ${field}).`, {
      hint: `Something other than Bitbucket may be answering at this address (a proxy or gateway), or a Bitbucket version that answers differently: tell the administrators of ${serverName}, with this message.`,
      details: { host: serverName, path: asked },
    });
  }
  return parsed.data;
}

export function errorFromResponse(response: HttpResponse, serverName: string, options: { sentCredentials?: boolean } = {}): ContractError {
  const fromServer = serverMessage(response);
  const said = fromServer ? ` Bitbucket said: ${fromServer}` : '';
  const status = response.status;
  if (status === 401 && options.sentCredentials === false) {
    return new ContractError('UNAUTHORIZED', `${serverName} needs you to sign in.`, {
      hint: 'Connect the primary first (in the app, or `mirror-clone login <url>`), or set MIRROR_CLONE_TOKEN for a one-off command.',
      terminalHint: 'Connect the primary first (mirror-clone login URL), or set MIRROR_CLONE_TOKEN for a one-off command.',
    });
  }
  if (status === 401) {
    return new ContractError('UNAUTHORIZED', `${serverName} refused the credentials.${said}`, {
      hint: 'Check the HTTP access token or password. Tokens expire; create a new one in Bitbucket under Manage account → HTTP access tokens.',
    });
  }
  if (status === 403) {
    return new ContractError('FORBIDDEN', `${serverName} does not allow this account to do that.${said}`, {
      hint: 'Ask a Bitbucket administrator for access, or use a token with the needed permission.',
    });
  }
  if (status >= 300 && status < 400) {
    const location = String(response.headers.location ?? '');
    if (/\/login/.test(location)) {
      return new ContractError('UNAUTHORIZED', `${serverName} sent the request to its login page.`, {
        hint: 'The credentials were not accepted for this address; check the token, and that the address is the Bitbucket base URL.',
      });
    }
    return new ContractError('NOT_BITBUCKET', `${serverName} redirects to ${location || 'another address'}.`, {
      hint: 'Use the address it redirects to as the Bitbucket base URL. (Credentials are never sent after a redirect.)',
    });
  }
  if (status === 503) {
    return new ContractError('NETWORK', `${serverName} is not serving right now (HTTP 503: starting up or in maintenance).${said}`, { hint: 'Try again in a few minutes.', details: { httpStatus: status } });
  }
  if (looksLikeHtml(response)) return notBitbucket(serverName, `answered with a web page (HTTP ${status})`);
  if (status === 404) return new ContractError('NOT_FOUND', `${serverName} has no such resource.${said}`);
  if (status === 409) return new ContractError('CONFLICT', `${serverName} refused the request.${said}`);
  if (status >= 500) return new ContractError('NETWORK', `${serverName} had an internal error (HTTP ${status}).${said}`, { hint: 'Try again later.', details: { httpStatus: status } });
  return new ContractError('NETWORK', `${serverName} answered HTTP ${status}.${said}`);
}

// What to do about each failed certificate check. Never "turn the check off": the way out is to
// trust the right authority, fix the clock or the address, or have the certificate renewed.
const tlsHints: Record<string, string> = {
  'tls-untrusted':
    "If your company signs its servers' certificates itself, get its certificate authority's certificate (a .pem file) from your IT department and add it in Settings as the trusted CA file (command line: --ca-file FILE). For a server with a self-signed certificate, add that certificate the same way.",
  'tls-expired':
    "Check that this computer's date and time are right. If they are, the server's administrators must renew its certificate; until then mirror-clone cannot connect to it safely.",
  'tls-not-yet-valid':
    "Check that this computer's date and time are right. If they are, tell the server's administrators that its certificate only becomes valid later.",
  'tls-hostname':
    "Use an address with a name the certificate is for (ask the server's administrators for the right one). Trusting an extra CA file does not change this check.",
  'tls-other': "Check the address (https://, and the port). If it is right, tell the server's administrators what this message says.",
};

export function errorFromNetworkFailure(error: unknown, serverName: string): ContractError {
  if (error instanceof ContractError) return error;
  if (!(error instanceof NetworkError)) {
    return new ContractError('NETWORK', `Could not reach ${serverName}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (error.kind === 'aborted') return new ContractError('CANCELLED', 'Cancelled.');
  if (error.isTls) return new ContractError('TLS', error.message, { hint: tlsHints[error.kind], details: { kind: error.kind, host: error.url.host } });
  if (error.kind === 'timeout') return new ContractError('TIMEOUT', `${serverName} did not answer in time.`, { hint: 'Check your network or VPN connection, then try again.' });
  if (error.kind === 'bad-url') return new ContractError('INVALID_PARAMS', error.message);
  const hints: Partial<Record<string, string>> = {
    dns: 'Check the address for typos, and whether you need to be on the company network or VPN.',
    refused: 'Check the address and port; the server may be down.',
    unreachable: 'Check your network or VPN connection.',
    reset: 'The connection broke before the whole answer arrived. Try again; if it keeps happening, check your network or VPN connection, or a proxy on the way.',
    'too-large': `No answer of Bitbucket's REST API is that large: check the address, or tell the administrators of ${serverName} that it answers without end.`,
  };
  // A mirror's host alone means little to a person: say which server it is.
  const message = serverName === error.url.host ? error.message : `${serverName}: ${error.message}`;
  return new ContractError('NETWORK', message, { hint: hints[error.kind], details: { kind: error.kind } });
}
