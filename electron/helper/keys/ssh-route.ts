/**
 * How the user's own ssh configuration reaches a server: the host name an alias stands for, and
 * a jump host (ProxyJump) or proxy command in front of it. The key check logs in without the
 * user's configuration (so no other key can take part), but it must travel the same way the
 * user's clones do, or a company behind a bastion would see every server "unreachable".
 *
 * `ssh -G` prints the configuration ssh would use; only these routing options are taken from it.
 * A jump host becomes a proxy command that runs ssh *with* the user's configuration, so the
 * bastion is reached with the user's own settings and keys, as a clone reaches it.
 */
import { execFile } from 'node:child_process';
import type { SshEndpoint } from './ssh-attempt';

export interface RouteOptions {
  /** An ssh config file to read instead of ssh's defaults (~/.ssh/config, /etc/ssh/ssh_config). */
  configFile?: string;
  signal?: AbortSignal;
}

/** For /bin/sh, which runs a ProxyCommand: one word, whatever it holds. */
const shellWord = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

export function parseSshG(output: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^(\S+)\s+(.*)$/.exec(line.trim());
    // The first value wins, as in ssh (multi-valued options repeat their key).
    const key = match?.[1]!.toLowerCase();
    if (key && !settings.has(key)) settings.set(key, match![2]!);
  }
  return settings;
}

/** The `-o` options that send a login along the user's configured route; none when it is direct. */
export function routeOptions(endpoint: SshEndpoint, settings: Map<string, string>, configFile?: string): string[] {
  const options: string[] = [];
  const hostName = settings.get('hostname');
  if (hostName && hostName !== endpoint.host) options.push('-o', `HostName=${hostName}`);
  const proxyCommand = settings.get('proxycommand');
  const proxyJump = settings.get('proxyjump');
  if (proxyCommand && proxyCommand !== 'none') {
    options.push('-o', `ProxyCommand=${proxyCommand}`);
  } else if (proxyJump && proxyJump !== 'none') {
    const hops = proxyJump.split(',').map((hop) => hop.trim()).filter(Boolean);
    const last = hops.pop()!;
    const words = ['ssh', ...(configFile ? ['-F', shellWord(configFile)] : []), '-o', 'BatchMode=yes', ...(hops.length ? ['-J', shellWord(hops.join(','))] : []), '-W', "'[%h]:%p'", shellWord(last)];
    options.push('-o', `ProxyCommand=${words.join(' ')}`);
  }
  return options;
}

export function sshRoute(endpoint: SshEndpoint, options: RouteOptions = {}): Promise<string[]> {
  const args = [...(options.configFile ? ['-F', options.configFile] : []), '-G', '-p', String(endpoint.port), '-l', endpoint.user, '--', endpoint.host];
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: 10_000, signal: options.signal }, (error, stdout) => {
      // No usable configuration (a syntax error, no ssh -G): the direct route, as before.
      resolve(error ? [] : routeOptions(endpoint, parseSshG(stdout), options.configFile));
    });
  });
}
