/**
 * A real OS keychain for tests: a private D-Bus session with gnome-keyring's Secret Service,
 * unlocked with a throwaway password, its files in a temp dir. Processes that get `env` see
 * only this keychain; `stop()` kills both daemons by PID and removes the folder.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestKeyring {
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function waitForSecretService(env: NodeJS.ProcessEnv): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { stdout } = await run('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], { env });
    if (stdout.includes('boolean true')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('gnome-keyring did not register the Secret Service on the test bus');
}

export async function startTestKeyring(): Promise<TestKeyring> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'mirror-clone-keyring-'));
  const runtimeDir = path.join(root, 'run');
  await mkdir(runtimeDir, { mode: 0o700 });
  await mkdir(path.join(root, 'data'));

  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1', `--address=unix:path=${path.join(root, 'bus')}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [address] = (await once(createInterface({ input: bus.stdout! }), 'line')) as [string];
  const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, XDG_RUNTIME_DIR: runtimeDir, XDG_DATA_HOME: path.join(root, 'data') };

  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
  keyring.stdin!.end('throwaway-test-password');
  try {
    await waitForSecretService(env);
  } catch (error) {
    await stopProcess(keyring);
    await stopProcess(bus);
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    env,
    async stop() {
      await stopProcess(keyring);
      await stopProcess(bus);
      await rm(root, { recursive: true, force: true });
    },
  };
}
