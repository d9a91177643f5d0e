/**
 * Making an SSH key with Node's crypto, for machines without ssh-keygen: the key pair from Node,
 * written in OpenSSH's own formats (the `openssh-key-v1` private key, the `type base64 comment`
 * public line). Unencrypted only: encrypting needs bcrypt-pbkdf, which Node does not offer, so a
 * passphrase needs ssh-keygen (the caller says so).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

type Jwk = { x?: string; y?: string; d?: string; n?: string; e?: string; p?: string; q?: string; qi?: string };

const fromBase64Url = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');

function uint32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function string(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([uint32(bytes.length), bytes]);
}

/** SSH's mpint: big-endian, no leading zeros, one 0x00 added when the top bit is set. */
function mpint(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start += 1;
  const trimmed = value.subarray(start);
  return string((trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

const curves = { 256: ['P-256', 'nistp256'], 384: ['P-384', 'nistp384'], 521: ['P-521', 'nistp521'] } as const;

export interface NodeGeneratedKey {
  privateKey: string;
  publicLine: string;
}

export function generateWithNode(type: 'ed25519' | 'ecdsa' | 'rsa', comment: string, bits?: number): NodeGeneratedKey {
  let publicBlob: Buffer;
  let privateFields: Buffer;
  if (type === 'ed25519') {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as Jwk;
    const publicKey = fromBase64Url(jwk.x);
    publicBlob = Buffer.concat([string('ssh-ed25519'), string(publicKey)]);
    privateFields = Buffer.concat([string('ssh-ed25519'), string(publicKey), string(Buffer.concat([fromBase64Url(jwk.d), publicKey]))]);
  } else if (type === 'ecdsa') {
    const [nodeCurve, sshCurve] = curves[bits === 256 || bits === 384 ? bits : 521];
    const jwk = generateKeyPairSync('ec', { namedCurve: nodeCurve }).privateKey.export({ format: 'jwk' }) as Jwk;
    const point = Buffer.concat([Buffer.from([4]), fromBase64Url(jwk.x), fromBase64Url(jwk.y)]);
    const name = `ecdsa-sha2-${sshCurve}`;
    publicBlob = Buffer.concat([string(name), string(sshCurve), string(point)]);
    privateFields = Buffer.concat([string(name), string(sshCurve), string(point), mpint(fromBase64Url(jwk.d))]);
  } else {
    const jwk = generateKeyPairSync('rsa', { modulusLength: bits ?? 4096 }).privateKey.export({ format: 'jwk' }) as Jwk;
    const [n, e] = [fromBase64Url(jwk.n), fromBase64Url(jwk.e)];
    publicBlob = Buffer.concat([string('ssh-rsa'), mpint(e), mpint(n)]);
    privateFields = Buffer.concat([string('ssh-rsa'), mpint(n), mpint(e), mpint(fromBase64Url(jwk.d)), mpint(fromBase64Url(jwk.qi)), mpint(fromBase64Url(jwk.p)), mpint(fromBase64Url(jwk.q))]);
  }

  const check = randomBytes(4);
  let section = Buffer.concat([check, check, privateFields, string(comment)]);
  const padding = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: padding }, (_, index) => index + 1))]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), string('none'), string('none'), string(''), uint32(1), string(publicBlob), string(section)]);
  const lines = body.toString('base64').match(/.{1,70}/g)!;
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicLine: `${publicBlob.subarray(4, 4 + publicBlob.readUInt32BE(0)).toString()} ${publicBlob.toString('base64')} ${comment}\n`,
  };
}
