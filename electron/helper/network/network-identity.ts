/**
 * "Where am I": a stable id for the network this machine is on now, so that measurements made
 * here can be reused here and are not reused elsewhere.
 *
 * It is a hash of the network prefixes of the non-internal interfaces (the network part of each
 * address, e.g. 192.168.1.0/24, so a new DHCP lease or a rotating IPv6 privacy address keeps the
 * id) and of the default gateway. Loopback and link-local addresses (169.254/16, fe80::/10) say
 * nothing about where we are and are left out. Only the hash is kept: no address is stored.
 *
 * Joining a VPN changes the prefixes and usually the gateway, and so the id: right, since the
 * VPN changes which mirror is near.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { gatewayReaderFor, type GatewayReader } from './default-gateway';

export interface NetworkIdentity {
  /** sha256 of the prefixes and the gateway, first 16 hex characters. */
  id: string;
  /** Distinct prefixes that went into the id; 0 means no network (offline, or loopback only). */
  prefixCount: number;
  gatewayKnown: boolean;
}

export type InterfaceTable = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

export interface NetworkIdentityDeps {
  interfaces?: () => InterfaceTable;
  readGateway?: GatewayReader;
  signal?: AbortSignal;
}

/** The 4 or 16 bytes of an address; undefined if it cannot be read. Zone ids (%eth0) are ignored. */
export function addressBytes(address: string, family: 'IPv4' | 'IPv6'): number[] | undefined {
  if (family === 'IPv4') {
    const parts = address.split('.').map(Number);
    return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : undefined;
  }
  let text = address.split('%')[0];
  // An IPv4 tail (::ffff:192.0.2.1) becomes two hex groups.
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const v4 = addressBytes(v4Tail[1], 'IPv4');
    if (!v4) return undefined;
    text = `${text.slice(0, -v4Tail[1].length)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.flatMap((g) => {
    const value = Number.parseInt(g, 16);
    return [value >> 8, value & 0xff];
  });
}

function isLinkLocal(bytes: number[], family: 'IPv4' | 'IPv6'): boolean {
  return family === 'IPv4' ? bytes[0] === 169 && bytes[1] === 254 : bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80;
}

function maskedPrefix(bytes: number[], maskBytes: number[]): { network: string; length: number } {
  const network = bytes.map((byte, i) => byte & maskBytes[i]);
  const length = maskBytes.reduce((bits, byte) => bits + byte.toString(2).replace(/0/g, '').length, 0);
  const text = bytes.length === 4 ? network.join('.') : network.map((b) => b.toString(16).padStart(2, '0')).join('');
  return { network: text, length };
}

/** The sorted, distinct network prefixes (e.g. 'IPv4 192.168.1.0/24') of the interfaces that count. */
export function networkPrefixes(table: InterfaceTable): string[] {
  const prefixes = new Set<string>();
  for (const addresses of Object.values(table)) {
    for (const info of addresses ?? []) {
      if (info.internal) continue;
      const family = info.family;
      const bytes = addressBytes(info.address, family);
      const mask = addressBytes(info.netmask, family);
      if (!bytes || !mask || isLinkLocal(bytes, family)) continue;
      const { network, length } = maskedPrefix(bytes, mask);
      prefixes.add(`${family} ${network}/${length}`);
    }
  }
  return [...prefixes].sort();
}

export function networkIdOf(prefixes: readonly string[], gateway: string | undefined): string {
  const canonical = ['mirror-clone network v1', ...prefixes, `gateway ${gateway ?? '-'}`].join('\n');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export async function currentNetworkIdentity(deps: NetworkIdentityDeps = {}): Promise<NetworkIdentity> {
  const readInterfaces = deps.interfaces ?? (() => os.networkInterfaces());
  const readGateway = deps.readGateway ?? gatewayReaderFor(process.platform);
  const prefixes = networkPrefixes(readInterfaces());
  const gateway = await readGateway(deps.signal);
  return { id: networkIdOf(prefixes, gateway), prefixCount: prefixes.length, gatewayKnown: gateway !== undefined };
}
