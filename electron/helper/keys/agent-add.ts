/**
 * Loading a key into the user's ssh-agent. ssh-add takes a passphrase only from a terminal or an
 * SSH_ASKPASS program; ours is a one-off script that copies its standard input, which it inherits
 * from ssh-add, where we write the passphrase. So the passphrase is in no process's arguments or
 * environment (both readable in /proc) and never on disk (the script holds no secret); the script
 * is removed right after.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ContractError } from '../../../shared/contract';

function runSshAdd(args: string[], options: { env: NodeJS.ProcessEnv; stdin: string; signal?: AbortSignal }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh-add', args, { env: options.env, signal: options.signal, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
    // ssh-add may exit before reading (no askpass needed): a closed pipe is not a failure.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(Object.assign(new Error(`ssh-add exited with ${code}`), { stderr }))));
  });
}

export async function addToAgent(options: { privateKeyPath: string; agentSocket: string | undefined; passphrase?: string; signal?: AbortSignal }): Promise<void> {
  if (!options.agentSocket) {
    throw new ContractError('NOT_FOUND', 'No ssh-agent is running for this session.', { hint: 'Start one (eval "$(ssh-agent)") or add the key later with ssh-add.' });
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'mirror-clone-askpass-'));
  const askpass = path.join(folder, 'askpass.sh');
  try {
    // Asked again after a wrong passphrase, it finds its input at its end and answers nothing,
    // which makes ssh-add give up.
    await writeFile(askpass, '#!/bin/sh\nexec cat\n', { mode: 0o700 });
    await runSshAdd(['-q', '--', options.privateKeyPath], {
      signal: options.signal,
      stdin: options.passphrase ? `${options.passphrase}\n` : '',
      env: { ...process.env, SSH_AUTH_SOCK: options.agentSocket, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: process.env.DISPLAY ?? ':0' },
    });
  } catch (error) {
    throw new ContractError('INTERNAL', `ssh-add could not load the key: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
