/**
 * What a private key file says about itself without its passphrase: whether it is encrypted,
 * and (OpenSSH format) its public key, which that format keeps in clear text. Older PEM files
 * (RSA/DSA/EC "traditional", PKCS#8) say "ENCRYPTED" in their header when they are.
 */
import { describeBlob, fingerprintOfBlob, MalformedKey, WireReader, type ParsedPublicKey } from './wire-format';

export interface PrivateKeyFacts {
  format: 'openssh' | 'pem';
  encrypted: boolean;
  /** OpenSSH format only: the public half, readable without the passphrase. */
  publicKey?: Omit<ParsedPublicKey, 'comment'>;
}

const opensshMagic = Buffer.from('openssh-key-v1\0', 'latin1');

/** Undefined when the text is not a private key at all (a config file, known_hosts, ...). */
export function readPrivateKey(text: string): PrivateKeyFacts | undefined {
  const begin = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/.exec(text);
  if (!begin) return undefined;
  if (begin[1] !== 'OPENSSH ') {
    const encrypted = begin[1] === 'ENCRYPTED ' || /^Proc-Type:\s*4,ENCRYPTED/m.test(text);
    return { format: 'pem', encrypted };
  }
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text)?.[1];
  if (!body) throw new MalformedKey('the OpenSSH private key has no end line');
  const data = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (!data.subarray(0, opensshMagic.length).equals(opensshMagic)) throw new MalformedKey('it is not an OpenSSH private key');
  const reader = new WireReader(data.subarray(opensshMagic.length));
  const cipher = reader.string();
  reader.string(); // kdf name
  reader.bytes(); // kdf options
  if (reader.uint32() < 1) throw new MalformedKey('the private key file holds no key');
  const blob = reader.bytes();
  const described = describeBlob(blob);
  return {
    format: 'openssh',
    encrypted: cipher !== 'none',
    publicKey: { ...described, fingerprint: fingerprintOfBlob(blob), text: `${described.algorithm} ${blob.toString('base64')}` },
  };
}
