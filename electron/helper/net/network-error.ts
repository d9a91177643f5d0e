/**
 * What went wrong on the way to a server, in categories a person can act on. TLS failures say
 * which check failed (expired, wrong host name, unknown issuer), because the fix differs.
 */
export type NetworkFailureKind =
  | 'bad-url'
  | 'dns' // the host name does not resolve
  | 'refused' // nothing listens there
  | 'unreachable'
  | 'reset' // the connection was cut
  | 'timeout'
  | 'aborted'
  | 'too-large'
  | 'tls-expired'
  | 'tls-not-yet-valid'
  | 'tls-hostname'
  | 'tls-untrusted' // self-signed or an issuer we do not know
  | 'tls-other';

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

const tlsKinds: Record<string, NetworkFailureKind> = {
  CERT_HAS_EXPIRED: 'tls-expired',
  CERT_NOT_YET_VALID: 'tls-not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls-hostname',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls-untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls-untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'tls-untrusted',
};

const tlsMessages: Partial<Record<NetworkFailureKind, (host: string) => string>> = {
  'tls-expired': (host) => `The certificate of ${host} has expired.`,
  'tls-not-yet-valid': (host) => `The certificate of ${host} is not valid yet (check this computer's clock).`,
  'tls-hostname': (host) => `The certificate presented by ${host} is for a different host name.`,
  'tls-untrusted': (host) => `The certificate of ${host} is signed by an issuer this computer does not trust.`,
};

export function classifyNetworkFailure(error: unknown, url: URL): NetworkError {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const host = url.host;
  const tlsKind = tlsKinds[code];
  if (tlsKind) return new NetworkError(tlsKind, tlsMessages[tlsKind]!(host), url, { cause: error, systemCode: code });
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /certificate|SSL routines/i.test(String((error as Error)?.message))) {
    return new NetworkError('tls-other', `A secure connection to ${host} could not be made: ${(error as Error).message}`, url, { cause: error, systemCode: code });
  }
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
