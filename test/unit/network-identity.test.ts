// "Where am I" (network identity, default gateway per platform) and the measurement cache keyed
// by it, with injected interfaces, gateway readers and clocks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type os from 'node:os';
import path from 'node:path';
import { gatewayReaderFor, parseLinuxRouteTable, parseMacRouteGet, parseWindowsRoutePrint } from '../../electron/helper/network/default-gateway';
import { addressBytes, currentNetworkIdentity, networkPrefixes, type InterfaceTable } from '../../electron/helper/network/network-identity';
import { createMeasurementCache, type MeasurementKey } from '../../electron/helper/network/measurement-cache';
import type { ProbeReport } from '../../electron/helper/probe/types';
import { makeTempDir } from '../support/temp-dir';

function address(family: 'IPv4' | 'IPv6', addr: string, netmask: string, internal = false): os.NetworkInterfaceInfo {
  const base = { address: addr, netmask, mac: '00:11:22:33:44:55', internal, cidr: null };
  return family === 'IPv4' ? { ...base, family } : { ...base, family, scopeid: 0 };
}

const loopback = [address('IPv4', '127.0.0.1', '255.0.0.0', true), address('IPv6', '::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true)];
const mask64 = 'ffff:ffff:ffff:ffff::';

/** A home network: DHCP address `host`, an IPv6 /64 with privacy address `suffix`, and link-local noise. */
function homeNetwork(host = 23, suffix = 'a1b2:c3d4:e5f6:1'): InterfaceTable {
  return {
    lo: loopback,
    wlan0: [
      address('IPv4', `192.168.1.${host}`, '255.255.255.0'),
      address('IPv6', `2001:db8:42:7:${suffix}`, mask64),
      address('IPv6', 'fe80::1234:5678:9abc:def0', mask64),
    ],
  };
}

const identity = (interfaces: InterfaceTable, gateway: string | undefined) =>
  currentNetworkIdentity({ interfaces: () => interfaces, readGateway: async () => gateway });

describe('network identity', () => {
  it('stays the same across a new DHCP lease and a rotated IPv6 privacy address', async () => {
    const first = await identity(homeNetwork(23, 'a1b2:c3d4:e5f6:1'), '192.168.1.1');
    const later = await identity(homeNetwork(57, '9999:8888:7777:6666'), '192.168.1.1');
    expect(later).toEqual(first);
    expect(first).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), prefixCount: 2, gatewayKnown: true });
  });

  it('changes with another gateway or another prefix', async () => {
    const home = (await identity(homeNetwork(), '192.168.1.1')).id;
    expect((await identity(homeNetwork(), '192.168.1.254')).id).not.toBe(home);
    expect((await identity(homeNetwork(), undefined)).id).not.toBe(home);
    const office = { eth0: [address('IPv4', '10.20.30.40', '255.255.0.0')] };
    expect((await identity(office, '192.168.1.1')).id).not.toBe(home);
  });

  it('ignores loopback, internal and link-local addresses', async () => {
    const plain = await identity({ eth0: [address('IPv4', '10.0.0.5', '255.255.255.0')] }, '10.0.0.1');
    const noisy = await identity(
      {
        lo: loopback,
        eth0: [address('IPv4', '10.0.0.5', '255.255.255.0'), address('IPv6', 'fe80::1%eth0', mask64)],
        apipa: [address('IPv4', '169.254.10.20', '255.255.0.0')],
      },
      '10.0.0.1',
    );
    expect(noisy).toEqual(plain);
    expect((await identity({ lo: loopback }, undefined)).prefixCount).toBe(0);
  });

  it('keeps no address in clear', async () => {
    const result = await identity(homeNetwork(), '192.168.1.1');
    expect(JSON.stringify(result)).not.toMatch(/192\.168|2001|db8/);
  });

  it('computes prefixes from address and netmask', () => {
    expect(networkPrefixes(homeNetwork())).toEqual(['IPv4 192.168.1.0/24', 'IPv6 20010db8004200070000000000000000/64']);
  });

  it('reads IPv4 and IPv6 addresses, including :: and an IPv4 tail', () => {
    expect(addressBytes('10.1.2.3', 'IPv4')).toEqual([10, 1, 2, 3]);
    expect(addressBytes('::1', 'IPv6')).toEqual([...Array(15).fill(0), 1]);
    expect(addressBytes('2001:db8::ff00:42:8329', 'IPv6')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29]);
    expect(addressBytes('::ffff:192.0.2.1', 'IPv6')!.slice(10)).toEqual([0xff, 0xff, 192, 0, 2, 1]);
    expect(addressBytes('fe80::1%en0', 'IPv6')!.slice(0, 2)).toEqual([0xfe, 0x80]);
    for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7', 'hello']) expect(addressBytes(bad, 'IPv6')).toBeUndefined();
    expect(addressBytes('256.1.1.1', 'IPv4')).toBeUndefined();
  });
});

describe('default gateway', () => {
  const linuxTable = [
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
    'wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0',
    'eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0',
    'eth0\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
    'tun0\t00000000\t00000000\t0001\t0\t0\t50\t00000000\t0\t0\t0',
  ].join('\n');

  it('Linux: the default route with the gateway flag and the lowest metric', () => {
    expect(parseLinuxRouteTable(linuxTable)).toBe('10.0.0.1');
    expect(parseLinuxRouteTable(linuxTable.split('\n').filter((l) => !l.startsWith('eth0')).join('\n'))).toBe('192.168.1.1');
    expect(parseLinuxRouteTable('Iface\tDestination\tGateway\n')).toBeUndefined();
  });

  it('macOS: the gateway line of `route -n get default`', () => {
    const output = '   route to: default\ndestination: default\n       mask: default\n    gateway: 192.168.178.1\n  interface: en0\n      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING>\n';
    expect(parseMacRouteGet(output)).toBe('192.168.178.1');
    expect(parseMacRouteGet('   route to: default\n  interface: utun3\n')).toBeUndefined();
  });

  it('Windows: the active 0.0.0.0 route with the lowest metric, whatever the language', () => {
    const output = [
      'IPv4-Routentabelle',
      '===========================================================================',
      'Aktive Routen:',
      '     Netzwerkziel    Netzwerkmaske          Gateway    Schnittstelle Metrik',
      '          0.0.0.0          0.0.0.0      192.168.0.1    192.168.0.17     55',
      '          0.0.0.0          0.0.0.0      172.16.0.1     172.16.5.9       25',
      '          0.0.0.0          0.0.0.0         On-link      10.8.0.2         5',
      '===========================================================================',
      'Ständige Routen:',
      '  Netzwerkadresse          Netzmaske  Gatewayadresse  Metrik',
      '          0.0.0.0          0.0.0.0      10.99.0.1  Standard',
    ].join('\r\n');
    expect(parseWindowsRoutePrint(output)).toBe('172.16.0.1');
    expect(parseWindowsRoutePrint('Active Routes:\r\nNone\r\n')).toBeUndefined();
  });

  it('each platform reads its own source; a failure means "unknown", not an error', async () => {
    const read = await gatewayReaderFor('linux', { readText: async (file) => (file === '/proc/net/route' ? linuxTable : '') })();
    expect(read).toBe('10.0.0.1');
    const calls: string[] = [];
    const run = async (file: string, args: string[]) => {
      calls.push([file, ...args].join(' '));
      return '    gateway: 10.1.1.1\n';
    };
    expect(await gatewayReaderFor('darwin', { run })()).toBe('10.1.1.1');
    expect(calls).toEqual(['/sbin/route -n get default']);
    await gatewayReaderFor('win32', { run })();
    expect(calls[1]).toMatch(/System32[\\/]route\.exe print 0\.0\.0\.0$/);
    const failing = gatewayReaderFor('linux', { readText: async () => Promise.reject(new Error('ENOENT')) });
    expect(await failing()).toBeUndefined();
    expect(await gatewayReaderFor('aix')()).toBeUndefined();
  });
});

describe('measurement cache', () => {
  let dir: { path: string; cleanup(): Promise<void> };
  let clock: number;
  const now = () => clock;
  beforeEach(async () => {
    dir = await makeTempDir('measurements');
    clock = 1_700_000_000_000;
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  const report = (medianMs: number, cancelled = false): ProbeReport => ({
    candidates: [{ id: 'm1', baseUrl: 'https://m1.example', outcome: 'measured', samplesMs: [medianMs], medianMs, connections: 1 }],
    elapsedMs: 60,
    cancelled,
  });
  const key = (networkId: string, scope: MeasurementKey['scope'] = { repository: 'PROJ/repo' }): MeasurementKey => ({
    networkId,
    primaryBaseUrl: 'https://bitbucket.example.com/bitbucket',
    scope,
  });

  it('hits within the TTL, misses after it, and misses on another network', async () => {
    const home = (await identity(homeNetwork(), '192.168.1.1')).id;
    const hotel = (await identity({ wlan0: [address('IPv4', '172.20.4.9', '255.255.252.0')] }, '172.20.4.1')).id;
    const cache = createMeasurementCache({ dataDir: dir.path, now });
    await cache.put(key(home), report(12));

    clock += 9 * 60_000;
    expect(await cache.get(key(home))).toEqual({ report: report(12), storedAt: 1_700_000_000_000, ageMs: 9 * 60_000 });
    expect(await cache.get(key(hotel))).toBeUndefined();
    expect(await cache.get(key(home, { repository: 'PROJ/other' }))).toBeUndefined();

    clock += 60_000;
    expect(await cache.get(key(home))).toBeUndefined();
  });

  it('a maximum age asked for narrows the TTL, never widens it', async () => {
    const cache = createMeasurementCache({ dataDir: dir.path, now });
    await cache.put(key('n'), report(12));
    clock += 59_000;
    expect((await cache.get(key('n'), { maxAgeMs: 60_000 }))?.ageMs).toBe(59_000);
    clock += 1_000;
    expect(await cache.get(key('n'), { maxAgeMs: 60_000 })).toBeUndefined();
    expect(await cache.get(key('n'))).toBeDefined(); // background work still takes it
    expect(await cache.get(key('n'), { maxAgeMs: 0 })).toBeUndefined();
    clock += 10 * 60_000;
    expect(await cache.get(key('n'), { maxAgeMs: 60 * 60_000 })).toBeUndefined();
  });

  it('survives a restart; the file is replaced whole, with no temporary file left', async () => {
    await createMeasurementCache({ dataDir: dir.path, now }).put(key('net-a'), report(20));
    const restarted = createMeasurementCache({ dataDir: dir.path, now });
    expect((await restarted.get(key('net-a')))?.report).toEqual(report(20));
    expect(await readdir(dir.path)).toEqual(['measurements.json']);
    expect(JSON.parse(await readFile(path.join(dir.path, 'measurements.json'), 'utf8')).version).toBe(1);
  });

  it('matches a candidate set in any order and a base URL with or without a trailing slash', async () => {
    const cache = createMeasurementCache({ dataDir: dir.path, now });
    const a = { id: 'a', baseUrl: 'https://a.example' };
    const b = { id: 'b', baseUrl: 'https://b.example' };
    await cache.put(key('n', { candidates: [a, b] }), report(5));
    expect(await cache.get({ ...key('n', { candidates: [b, a] }), primaryBaseUrl: 'https://BITBUCKET.example.com/bitbucket/' })).toBeDefined();
    expect(await cache.get(key('n', { candidates: [a] }))).toBeUndefined();
  });

  it('a clock that went backwards makes an entry stale', async () => {
    const cache = createMeasurementCache({ dataDir: dir.path, now });
    await cache.put(key('n'), report(5));
    clock -= 1_000;
    expect(await cache.get(key('n'))).toBeUndefined();
  });

  it('keeps no cancelled report, and forgets on request', async () => {
    const cache = createMeasurementCache({ dataDir: dir.path, now });
    await cache.put(key('n'), report(5, true));
    expect(await cache.get(key('n'))).toBeUndefined();
    await cache.put(key('n'), report(5));
    await cache.forget(key('n'));
    expect(await createMeasurementCache({ dataDir: dir.path, now }).get(key('n'))).toBeUndefined();
  });

  it('starts empty from a corrupt file and drops entries that do not parse, keeping the rest', async () => {
    const file = path.join(dir.path, 'measurements.json');
    await writeFile(file, '{"entries": [ not json');
    const fresh = createMeasurementCache({ dataDir: dir.path, now });
    expect(await fresh.get(key('n'))).toBeUndefined();
    await fresh.put(key('n'), report(7));

    const stored = JSON.parse(await readFile(file, 'utf8'));
    stored.entries.push({ networkId: 'x', primaryBaseUrl: 'y', scope: 'z', storedAt: clock, report: { candidates: 'nope' } });
    await writeFile(file, JSON.stringify(stored));
    expect((await createMeasurementCache({ dataDir: dir.path, now }).get(key('n')))?.report).toEqual(report(7));
  });

  it('queues concurrent writes so none is lost', async () => {
    const cache = createMeasurementCache({ dataDir: dir.path, now });
    await Promise.all(Array.from({ length: 10 }, (_, i) => cache.put(key(`net-${i}`), report(i))));
    const restarted = createMeasurementCache({ dataDir: dir.path, now });
    for (let i = 0; i < 10; i += 1) expect((await restarted.get(key(`net-${i}`)))?.report.candidates[0].medianMs).toBe(i);
  });
});
