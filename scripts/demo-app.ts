/**
 * The app half of `npm run demo`: the mirror-sync helper (its own process) serving the UI, with
 * the demo primary already connected. Where no Secret Service is running (a bare server, a CI
 * box) a private, throwaway keychain is started for it, because tokens only ever live in a
 * keychain. Electron's window opens when its binary is installed and a display is there;
 * otherwise the same UI is printed as a local address for a browser.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { startTestKeyring, type TestKeyring } from '../test/fixtures/keyring';
import { connectClient } from '../test/support/websocket-client';
import type { Topology } from '../test/fixtures/bitbucket/topology';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..');

export interface DemoApp {
  uiUrl: string;
  home: string;
  electron: boolean;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

function electronBinary(): string | undefined {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

export async function startDemoApp(world: Topology): Promise<DemoApp> {
  // Built every time (a few seconds): an earlier build left in dist/ would show an older UI.
  console.log('Building the UI...');
  await run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: repoRoot });
  const home = await mkdtemp(path.join(os.tmpdir(), 'mirror-clone-demo-home-'));
  let keyring: TestKeyring | undefined;
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) keyring = await startTestKeyring();
  const env = { ...(keyring?.env ?? process.env), MIRROR_CLONE_HOME: home };

  const helper = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/helper/standalone.ts'), '--ui', path.join(repoRoot, 'dist/renderer')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: helper.stdout! }), 'line')) as [string];
  const address = JSON.parse(line) as { url: string; token: string; uiUrl: string };

  const { client, socket } = await connectClient(address.url, address.token);
  await client.call('primaries.add', { baseUrl: world.primary.baseUrl, credentials: { kind: 'token', token: world.credentials.token } });
  socket.close();

  let window: ChildProcess | undefined;
  const binary = electronBinary();
  if (binary && (process.env.DISPLAY || process.platform !== 'linux')) {
    await run(process.execPath, [path.join(repoRoot, 'scripts', 'build-electron.mjs')], { cwd: repoRoot });
    window = spawn(binary, [repoRoot], { cwd: repoRoot, env, stdio: 'inherit' });
  }

  return {
    uiUrl: address.uiUrl,
    home,
    electron: window !== undefined,
    async stop() {
      await stopChild(window);
      await stopChild(helper);
      await keyring?.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
