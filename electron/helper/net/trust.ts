/**
 * Extra certificate authorities (a company CA), trusted IN ADDITION to the ones Node trusts by
 * default. Node's `ca` option replaces its default list rather than adding to it, so the extra
 * certificates are combined with that list into one SecureContext. It is built once per set of
 * extra certificates: parsing ~150 certificates takes ~20 ms of blocked event loop, which on
 * every new connection would also skew the probes' timings of other servers.
 *
 * The options carry `ca` as well, though the handshake uses `secureContext`: Node's agents key
 * their kept-alive sockets and TLS sessions by `ca` but not by `secureContext`, so without it a
 * socket opened while a CA was trusted would be reused after the user removed that CA. Always
 * pass both, as `trustOptions` returns them.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

export type ExtraCa = string | Buffer | (string | Buffer)[];

export interface TrustOptions {
  /** Only the extra certificates: this is what tells agents' socket pools apart. */
  ca: string;
  /** Node's default authorities plus the extra ones: this is what verifies the server. */
  secureContext: tls.SecureContext;
}

let defaults: string[] | undefined;

/** Node's default list: its bundled roots plus NODE_EXTRA_CA_CERTS, which Node also adds there. */
function nodeDefaultAuthorities(): string[] {
  if (!defaults) {
    defaults = [...tls.rootCertificates];
    const extraFile = process.env.NODE_EXTRA_CA_CERTS;
    if (extraFile) {
      try {
        defaults.push(readFileSync(extraFile, 'utf8'));
      } catch {
        // Node itself already warned at start-up that the file cannot be read.
      }
    }
  }
  return defaults;
}

const built = new Map<string, TrustOptions>();
// The extra CA rarely changes (a setting, a command-line flag): a few entries are plenty.
const maxBuilt = 4;

export function trustOptions(extra: ExtraCa | undefined): TrustOptions | undefined {
  const pems = (Array.isArray(extra) ? extra : [extra]).map((pem) => (pem === undefined ? '' : pem.toString('utf8').trim())).filter(Boolean);
  if (pems.length === 0) return undefined;
  const ca = pems.join('\n');
  let options = built.get(ca);
  if (!options) {
    options = { ca, secureContext: tls.createSecureContext({ ca: [...nodeDefaultAuthorities(), ca] }) };
    if (built.size >= maxBuilt) built.delete(built.keys().next().value!);
    built.set(ca, options);
  }
  return options;
}
