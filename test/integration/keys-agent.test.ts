/**
 * A new key with a passphrase: loaded into a real ssh-agent on request, and its passphrase kept
 * in a real keychain (gnome-keyring) when asked — and nowhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { createKeychainSecretStore } from '../../electron/helper/store/secret-store';

const run = promisify(execFile);
let keyring: TestKeyring;
let home: Awaited<ReturnType<typeof makeTempDir>>;
let agent: ChildProcess;
let agentSocket: string;
let helper: InProcessHelper;

beforeAll(async () => {
  [keyring, home] = await Promise.all([startTestKeyring(), makeTempDir('keys-agent')]);
  Object.assign(process.env, { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR, XDG_DATA_HOME: keyring.env.XDG_DATA_HOME });
  agentSocket = path.join(home.path, 'agent.sock');
  agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 50 && !(await readdir(home.path)).includes('agent.sock'); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  helper = await startInProcessHelper({ sshFolder: path.join(home.path, 'ssh'), agentSocket });
});

afterAll(async () => {
  await helper?.stop();
  if (agent && agent.exitCode === null) {
    const exited = once(agent, 'exit');
    agent.kill('SIGTERM');
    await exited;
  }
  await keyring?.stop();
  await home?.cleanup();
});

describe('a new key with a passphrase', () => {
  it('is loaded into the agent and its passphrase kept in the keychain only', async () => {
    const passphrase = 'correct horse battery staple';
    const made = await helper.client.call('keys.generate', { type: 'ecdsa', passphrase, rememberPassphrase: true, addToAgent: true });
    expect(made).toMatchObject({ inAgent: true, passphraseRemembered: true });

    const { stdout } = await run('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket } });
    expect(stdout).toContain(made.fingerprint);
    expect(await createKeychainSecretStore().get(`ssh-key:${made.fingerprint}`)).toBe(passphrase);

    // Encrypted on disk, and the passphrase is nowhere in the helper's files.
    expect(await readFile(made.privateKeyPath, 'utf8')).toContain('BEGIN OPENSSH PRIVATE KEY');
    await expect(run('ssh-keygen', ['-y', '-P', '', '-f', made.privateKeyPath])).rejects.toThrow();
    const entries = await readdir(helper.dataDir, { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((file) => file.isFile())) {
      expect(await readFile(path.join(entry.parentPath, entry.name), 'utf8')).not.toContain(passphrase);
    }
    const listed = (await helper.client.call('keys.list', {})).keys.find((key) => key.fingerprint === made.fingerprint);
    expect(listed).toMatchObject({ passphrase: 'protected', inAgent: true });
  });

  it('without an agent, says how to start one', async () => {
    const lonely = await startInProcessHelper({ sshFolder: path.join(home.path, 'ssh2'), agentSocket: null });
    try {
      await expect(lonely.client.call('keys.generate', { type: 'ed25519', addToAgent: true })).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('ssh-agent') });
      expect(await readdir(path.join(home.path, 'ssh2')).catch(() => [])).toEqual([]); // no key made
    } finally {
      await lonely.stop();
    }
  });
});
