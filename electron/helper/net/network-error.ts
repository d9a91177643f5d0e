/**
 * What went wrong on the way to a server, in categories a person can act on. TLS failures say
 * which check failed (expired, wrong host name, unknown issuer), because the fix differs.
 */
import { classifyTlsFailure, type TlsFailureKind } from './tls-failure';

export type NetworkFailureKind =
  | 'bad-url'
  | 'dns' // the host name does not resolve
  | 'refused' // nothing listens there
  | 'unreachable'
  | 'reset' // the connection was cut
  | 'timeout'
  | 'aborted'
  | 'too-large'
  | TlsFailureKind; // tls-untrusted: self-signed, or an issuer this computer does not trust

export class NetworkError extends Error {
  readonly kind: NetworkFailureKind;
  readonly url: URL;
  readonly systemCode?: string;

  constructor(kind: NetworkFailureKind, message: string, url: URL, options: { cause?: unknown; systemCode?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = 'NetworkError';
    this.kind = kind;
    this.url = url;
    this.systemCode = options.systemCode;
  }

  get isTls(): boolean {
    return this.kind.startsWith('tls-');
  }
}

export function classifyNetworkFailure(error: unknown, url: URL): NetworkError {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const host = url.host;
  const tls = classifyTlsFailure(error, url);
  if (tls) return new NetworkError(tls.kind, tls.message, url, { cause: error, systemCode: code });
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new NetworkError('dns', `The host name ${url.hostname} could not be found.`, url, { cause: error, systemCode: code });
    case 'ECONNREFUSED':
      return new NetworkError('refused', `${host} refused the connection: nothing is listening there.`, url, { cause: error, systemCode: code });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new NetworkError('unreachable', `${host} cannot be reached from this network.`, url, { cause: error, systemCode: code });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return new NetworkError('reset', `The connection to ${host} was cut.`, url, { cause: error, systemCode: code });
    case 'ETIMEDOUT':
      return new NetworkError('timeout', `${host} did not answer in time.`, url, { cause: error, systemCode: code });
    default:
      return new NetworkError('reset', `The request to ${host} failed: ${(error as Error)?.message ?? String(error)}`, url, { cause: error, systemCode: code });
  }
}
