/**
 * The keys the running ssh-agent holds, as `ssh-add -L` lists them (public halves only). The
 * agent is the one SSH_AUTH_SOCK names; without it there is no agent to ask.
 */
import { execFile } from 'node:child_process';
import { parsePublicKeyLine, type ParsedPublicKey } from './wire-format';

export interface AgentKeys {
  running: boolean;
  detail?: string;
  keys: ParsedPublicKey[];
}

export function listAgentKeys(socket: string | undefined): Promise<AgentKeys> {
  if (!socket) return Promise.resolve({ running: false, detail: 'SSH_AUTH_SOCK is not set.', keys: [] });
  return new Promise((resolve) => {
    execFile('ssh-add', ['-L'], { env: { ...process.env, SSH_AUTH_SOCK: socket }, timeout: 5000 }, (error, stdout, stderr) => {
      // Exit 1 with "The agent has no identities." is a running agent without keys; 2: no agent there.
      const code = (error as { code?: unknown } | null)?.code;
      if (error && code !== 1) {
        resolve({ running: false, detail: `The agent at SSH_AUTH_SOCK did not answer (${stderr.trim() || error.message}).`, keys: [] });
        return;
      }
      const keys: ParsedPublicKey[] = [];
      for (const line of stdout.split('\n')) {
        if (!line.trim()) continue;
        try {
          keys.push(parsePublicKeyLine(line));
        } catch {
          // A key type this parser does not know (e.g. a certificate) is simply not listed.
        }
      }
      resolve({ running: true, keys });
    });
  });
}
