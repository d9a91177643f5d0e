/**
 * SSH public keys read by hand (RFC 4253 §6.6 wire format): base64 of length-prefixed strings.
 * Type, size and fingerprint need no more than that, so no library and no process per key.
 * The fingerprint is what `ssh-keygen -l -E sha256` prints: SHA256 of the blob, unpadded base64.
 */
import { createHash } from 'node:crypto';

export type KeyType = 'RSA' | 'DSA' | 'ECDSA' | 'ED25519' | 'ECDSA-SK' | 'ED25519-SK';

export interface ParsedPublicKey {
  /** The algorithm name on the line and in the blob, e.g. ssh-ed25519. */
  algorithm: string;
  type: KeyType;
  /** RSA/DSA: modulus (p) size; ECDSA: curve size; Ed25519: 256. */
  bits: number;
  /** nistp256/384/521 for ECDSA keys. */
  curve?: string;
  fingerprint: string;
  comment: string;
  /** `type base64` without the comment: what servers store and compare. */
  text: string;
}

export class MalformedKey extends Error {}

/** Reads the length-prefixed strings of a key blob one by one. */
export class WireReader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  bytes(): Buffer {
    if (this.offset + 4 > this.buffer.length) throw new MalformedKey('the key data ends early');
    const length = this.buffer.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.buffer.length) throw new MalformedKey('the key data ends early');
    this.offset = start + length;
    return this.buffer.subarray(start, start + length);
  }

  string(): string {
    return this.bytes().toString('latin1');
  }

  uint32(): number {
    if (this.offset + 4 > this.buffer.length) throw new MalformedKey('the key data ends early');
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }
}

/** Bits of an SSH mpint: its length without leading zero bytes, less the top byte's unused bits. */
function mpintBits(value: Buffer): number {
  let start = 0;
  while (start < value.length && value[start] === 0) start += 1;
  if (start === value.length) return 0;
  return (value.length - start - 1) * 8 + (32 - Math.clz32(value[start]!));
}

const curveBits: Record<string, number> = { nistp256: 256, nistp384: 384, nistp521: 521 };

export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Type and size from a key blob; throws MalformedKey when the blob does not hold what its name says. */
export function describeBlob(blob: Buffer): Pick<ParsedPublicKey, 'algorithm' | 'type' | 'bits' | 'curve'> {
  const reader = new WireReader(blob);
  const algorithm = reader.string();
  switch (algorithm) {
    case 'ssh-rsa': {
      reader.bytes(); // e
      const bits = mpintBits(reader.bytes());
      if (bits === 0) throw new MalformedKey('the RSA modulus is empty');
      return { algorithm, type: 'RSA', bits };
    }
    case 'ssh-dss': {
      const bits = mpintBits(reader.bytes()); // p; q, g, y follow
      for (let index = 0; index < 3; index += 1) reader.bytes();
      return { algorithm, type: 'DSA', bits };
    }
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
    case 'sk-ecdsa-sha2-nistp256@openssh.com': {
      const curve = reader.string();
      if (!algorithm.includes(curve) || !curveBits[curve]) throw new MalformedKey(`the key names curve "${curve}" inside a ${algorithm} key`);
      reader.bytes(); // the point
      if (algorithm.startsWith('sk-')) reader.string(); // application, e.g. ssh:
      return { algorithm, type: algorithm.startsWith('sk-') ? 'ECDSA-SK' : 'ECDSA', bits: curveBits[curve]!, curve };
    }
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      if (reader.bytes().length !== 32) throw new MalformedKey('an Ed25519 key must be 32 bytes');
      if (algorithm.startsWith('sk-')) reader.string();
      return { algorithm, type: algorithm.startsWith('sk-') ? 'ED25519-SK' : 'ED25519', bits: 256 };
    }
    default:
      throw new MalformedKey(`"${algorithm.slice(0, 60)}" is not a key type ssh can use with Bitbucket`);
  }
}

/** Parses one public key line: `type base64 [comment]` (authorized_keys options are not expected here). */
export function parsePublicKeyLine(line: string): ParsedPublicKey {
  const match = /^\s*(\S+)\s+([A-Za-z0-9+/]+={0,3})(?:\s+(.*?))?\s*$/.exec(line);
  if (!match) throw new MalformedKey('it is not a public key line (type, base64 data, comment)');
  const [, name, data, comment = ''] = match;
  const blob = Buffer.from(data!, 'base64');
  const described = describeBlob(blob);
  if (described.algorithm !== name) throw new MalformedKey(`the line says ${name} but the key data is ${described.algorithm}`);
  return { ...described, fingerprint: fingerprintOfBlob(blob), comment, text: `${name} ${data}` };
}
