/**
 * One real publickey authentication with one key against one SSH server, running nothing: the
 * command asked for is a git-upload-pack of a repository that cannot exist, which Bitbucket (and
 * the emulator's shim) refuse once logged in. ssh's own failures exit 255; anything else means the
 * server let the key in. No prompts (BatchMode), no other key (IdentitiesOnly, no config file that
 * could add one), and an unknown host key is never accepted. The route (a jump host, a proxy) is
 * the user's, from ssh-route.ts.
 */
import { execFile } from 'node:child_process';
import type { KeyCheckOutcome } from '../../../shared/contract/domains/keys';

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

export interface AttemptOptions {
  endpoint: SshEndpoint;
  /** A private key file, or a .pub file whose private half the agent holds (with `agentSocket`). */
  identityFile: string;
  /** Only for keys held by the agent; otherwise the agent is not used, so only this key is tried. */
  agentSocket?: string;
  knownHostsFile: string;
  /** `-o` options for the way the user's ssh configuration reaches this server (ssh-route.ts). */
  route?: string[];
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface AttemptResult {
  outcome: KeyCheckOutcome;
  detail?: string;
  ms: number;
}

/** What ssh's messages mean, most specific first (a key ssh would not load still ends in "Permission denied"). */
const patterns: [RegExp, KeyCheckOutcome][] = [
  [/UNPROTECTED PRIVATE KEY FILE|bad permissions|Load key .*: (?!No such)|sign_and_send_pubkey: signing failed|agent refused operation/i, 'key-unusable'],
  [/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i, 'host-key-changed'],
  [/Host key verification failed|No \S+ host key is known/i, 'host-key-unknown'],
  [/Permission denied \(/, 'refused'],
];

export function classifySshFailure(stderr: string): Pick<AttemptResult, 'outcome' | 'detail'> {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('@'));
  for (const [pattern, outcome] of patterns) {
    if (pattern.test(stderr)) return { outcome, detail: lines.find((line) => pattern.test(line)) ?? lines.at(-1) };
  }
  // Connection refused, timed out, name not resolved, closed during the handshake...
  return { outcome: 'unreachable', detail: lines.at(-1) ?? 'ssh failed without saying why' };
}

export function sshArguments(options: AttemptOptions): string[] {
  const { endpoint } = options;
  return [
    '-F', 'none',
    ...(options.route ?? []),
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', `IdentityAgent=${options.agentSocket ?? 'none'}`,
    '-o', 'PreferredAuthentications=publickey',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${options.knownHostsFile}`,
    '-o', 'GlobalKnownHostsFile=none',
    '-o', `ConnectTimeout=${options.timeoutSeconds ?? 10}`,
    '-o', 'LogLevel=ERROR',
    '-T', '-x', '-a',
    '-i', options.identityFile,
    '-p', String(endpoint.port),
    '-l', endpoint.user,
    '--', endpoint.host,
    "git-upload-pack '/nonexistent/none.git'",
  ];
}

export function attemptLogin(options: AttemptOptions): Promise<AttemptResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile('ssh', sshArguments(options), { timeout: ((options.timeoutSeconds ?? 10) + 10) * 1000, signal: options.signal, env: { ...process.env, SSH_ASKPASS: '', DISPLAY: '' } }, (error, _stdout, stderr) => {
      const ms = Math.round(performance.now() - started);
      const code = (error as { code?: unknown } | null)?.code;
      // Logged in: the server ran (and refused) the command, whatever its exit code.
      if (!error || (typeof code === 'number' && code !== 255)) return resolve({ outcome: 'accepted', ms });
      if (typeof code !== 'number') return resolve({ outcome: 'unreachable', detail: `ssh did not finish: ${error.message}`, ms });
      resolve({ ...classifySshFailure(stderr), ms });
    });
  });
}
