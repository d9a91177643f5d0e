/**
 * The IPv4 default gateway, one reader per platform: Linux reads /proc/net/route, macOS asks
 * `route -n get default`, Windows asks `route print 0.0.0.0`. The parsers are separate pure
 * functions so that each platform's format is tested on any machine. IPv6-only networks have no
 * IPv4 gateway; their identity then rests on their prefixes alone.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Resolves with the gateway's address, or undefined when there is none or it cannot be read. */
export type GatewayReader = (signal?: AbortSignal) => Promise<string | undefined>;

export type CommandRunner = (file: string, args: string[], options: { signal?: AbortSignal; timeoutMs: number }) => Promise<string>;

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;

/** /proc/net/route: addresses are little-endian hex; the default route has destination and mask 0. */
export function parseLinuxRouteTable(text: string): string | undefined {
  let best: { gateway: string; metric: number } | undefined;
  for (const line of text.split('\n').slice(1)) {
    const [, destination, gatewayHex, flagsHex, , , metricText, mask] = line.trim().split(/\s+/);
    if (destination !== '00000000' || mask !== '00000000' || !/^[0-9A-Fa-f]{8}$/.test(gatewayHex ?? '')) continue;
    const flags = Number.parseInt(flagsHex, 16);
    if (!(flags & RTF_UP) || !(flags & RTF_GATEWAY)) continue;
    const value = Number.parseInt(gatewayHex, 16);
    const gateway = [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24].join('.');
    const metric = Number.parseInt(metricText, 10) || 0;
    if (!best || metric < best.metric) best = { gateway, metric };
  }
  return best?.gateway;
}

/** `route -n get default` prints `gateway: 192.168.1.1` (absent for a route over a tunnel interface). */
export function parseMacRouteGet(text: string): string | undefined {
  return /^\s*gateway:\s*(\S+)\s*$/m.exec(text)?.[1];
}

/**
 * `route print 0.0.0.0`: rows `0.0.0.0  0.0.0.0  <gateway>  <interface>  <metric>` under
 * "Active Routes". Matched by shape, not by the headings, which Windows translates. Persistent
 * routes have four columns and do not match; 'On-link' is no gateway.
 */
export function parseWindowsRoutePrint(text: string): string | undefined {
  let best: { gateway: string; metric: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    const row = /^\s*0\.0\.0\.0\s+0\.0\.0\.0\s+(\S+)\s+\S+\s+(\d+)\s*$/.exec(line);
    if (!row || !/^\d+\.\d+\.\d+\.\d+$/.test(row[1])) continue;
    const metric = Number.parseInt(row[2], 10);
    if (!best || metric < best.metric) best = { gateway: row[1], metric };
  }
  return best?.gateway;
}

const runCommand: CommandRunner = (file, args, { signal, timeoutMs }) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { signal, timeout: timeoutMs, windowsHide: true, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });

export interface GatewayReaderDeps {
  readText?: (file: string) => Promise<string>;
  run?: CommandRunner;
  timeoutMs?: number;
}

/** The reader for `platform`; every failure to read means "no gateway known", never an error. */
export function gatewayReaderFor(platform: NodeJS.Platform, deps: GatewayReaderDeps = {}): GatewayReader {
  const readText = deps.readText ?? ((file: string) => readFile(file, 'utf8'));
  const run = deps.run ?? runCommand;
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const quietly =
    (read: GatewayReader): GatewayReader =>
    (signal) =>
      read(signal).catch(() => undefined);

  switch (platform) {
    case 'linux':
    case 'android':
      return quietly(async () => parseLinuxRouteTable(await readText('/proc/net/route')));
    case 'darwin':
      return quietly(async (signal) => parseMacRouteGet(await run('/sbin/route', ['-n', 'get', 'default'], { signal, timeoutMs })));
    case 'win32': {
      // The full path, so that a route.exe earlier on PATH is never the one run.
      const routeExe = path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'route.exe');
      return quietly(async (signal) => parseWindowsRoutePrint(await run(routeExe, ['print', '0.0.0.0'], { signal, timeoutMs })));
    }
    default:
      return async () => undefined;
  }
}
