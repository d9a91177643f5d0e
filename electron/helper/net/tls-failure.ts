/**
 * Which certificate check failed, from Node's TLS error codes (OpenSSL's verify results), in
 * words a person who has never seen a certificate can act on. The kind decides the hint; the
 * message names the server and the check.
 *
 * Node checks the host name only once the certificate's issuer is trusted (a name in a
 * certificate nobody vouches for proves nothing), so a certificate with an unknown issuer AND a
 * wrong name reports the issuer first, and the name once its CA is trusted.
 */
import type { PeerCertificate } from 'node:tls';

export type TlsFailureKind = 'tls-expired' | 'tls-not-yet-valid' | 'tls-hostname' | 'tls-untrusted' | 'tls-other';

export interface TlsFailure {
  kind: TlsFailureKind;
  message: string;
}

const untrustedCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/** "other.example", "a, b and c", or "a, b, c and 4 more" from a certificate's names. */
function namesIn(cert: PeerCertificate | undefined): string | undefined {
  const names = (cert?.subjectaltname ?? '')
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  if (names.length === 0) return cert?.subject?.CN ? String(cert.subject.CN) : undefined;
  if (names.length > 3) return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function classifyTlsFailure(error: unknown, url: URL): TlsFailure | undefined {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const text = String((error as Error | undefined)?.message ?? '');
  const start = `Could not connect securely to ${url.host}`;
  if (code === 'CERT_HAS_EXPIRED') return { kind: 'tls-expired', message: `${start}: its certificate has expired.` };
  if (code === 'CERT_NOT_YET_VALID') return { kind: 'tls-not-yet-valid', message: `${start}: its certificate is not valid yet.` };
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return { kind: 'tls-untrusted', message: `${start}: its certificate is self-signed, so no certificate authority this computer trusts vouches for it.` };
  }
  if (untrustedCodes.has(code)) {
    return { kind: 'tls-untrusted', message: `${start}: its certificate is issued by a certificate authority this computer does not trust (unknown issuer).` };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = namesIn((error as { cert?: PeerCertificate }).cert);
    const forWhat = names ? `is for ${names}, not for ${url.hostname}` : `is not for ${url.hostname}`;
    return { kind: 'tls-hostname', message: `${start}: its certificate ${forWhat} (host name mismatch).` };
  }
  // OpenSSL's own errors read "write EPROTO 80...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:file:line:";
  // only the reason means anything to a person.
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(text)?.[1];
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || reason === 'wrong version number') {
    return { kind: 'tls-other', message: `${start}: it does not answer with HTTPS there (is it an http:// address, or the wrong port?).` };
  }
  if (reason) return { kind: 'tls-other', message: `${start}: the secure handshake failed (${reason}).` };
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.startsWith('CERT_') || /certificate/i.test(text)) {
    return { kind: 'tls-other', message: `${start}: ${text.replace(/\.$/, '')}.` };
  }
  return undefined;
}
