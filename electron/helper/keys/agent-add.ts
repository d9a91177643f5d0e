/**
 * Loading a key into the user's ssh-agent. A passphrase reaches ssh-add through a one-off
 * SSH_ASKPASS program that prints it from ssh-add's own environment: never in argv, never on
 * disk (the program holds no secret), removed right after.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ContractError } from '../../../shared/contract';

const run = promisify(execFile);

export async function addToAgent(options: { privateKeyPath: string; agentSocket: string | undefined; passphrase?: string; signal?: AbortSignal }): Promise<void> {
  if (!options.agentSocket) {
    throw new ContractError('NOT_FOUND', 'No ssh-agent is running for this session.', { hint: 'Start one (eval "$(ssh-agent)") or add the key later with ssh-add.' });
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'mirror-clone-askpass-'));
  const askpass = path.join(folder, 'askpass.sh');
  try {
    await writeFile(askpass, '#!/bin/sh\nprintf \'%s\\n\' "$MIRROR_CLONE_KEY_PASSPHRASE"\n', { mode: 0o700 });
    await run('ssh-add', ['-q', options.privateKeyPath], {
      signal: options.signal,
      env: {
        ...process.env,
        SSH_AUTH_SOCK: options.agentSocket,
        SSH_ASKPASS: askpass,
        SSH_ASKPASS_REQUIRE: 'force',
        DISPLAY: process.env.DISPLAY ?? ':0',
        MIRROR_CLONE_KEY_PASSPHRASE: options.passphrase ?? '',
      },
    });
  } catch (error) {
    throw new ContractError('INTERNAL', `ssh-add could not load the key: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
