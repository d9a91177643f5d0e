/**
 * Everything an e2e test runs against, started together: an emulated Bitbucket, a keychain of
 * its own, Chromium, and a real helper process whose HOME, data folder and keychain belong to
 * the test (no ssh-agent, no MIRROR_CLONE_TOKEN from the outside). `stop()` ends what was started
 * in reverse order, and a start that fails half-way stops what it had started before rethrowing.
 *
 * Layout of `tempDir`: data/ (the helper's MIRROR_CLONE_HOME), user-home/ (its HOME), workspace/.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { ContractClient } from '../../shared/contract';
import { startTopology, type Topology, type TopologyDescription } from '../fixtures/bitbucket/topology';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { collectPageErrors, launchChromium, rendererDist, requireRendererDist, screenshotDir } from './browser';
import { startHelperProcess, type RunningHelper } from './helper-process';
import { makeTempDir } from './temp-dir';
import { connectClient } from './websocket-client';

export interface E2eWorldOptions {
  /** The emulated Bitbucket; by default a primary alone. */
  topology?: TopologyDescription;
  /** Keys generated into user-home/.ssh as id_<type> (comment <type>@laptop). */
  sshKeys?: ('ed25519' | 'ecdsa')[];
  helperEnv?: NodeJS.ProcessEnv;
  /** Runs once the folders and the topology exist, before the helper starts; what it returns is added to the helper's env. */
  prepare?: (world: Pick<E2eWorld, 'topology' | 'tempDir' | 'userHome' | 'workspace'>) => Promise<NodeJS.ProcessEnv | void>;
}

export interface E2eWorld {
  topology: Topology;
  keyring: TestKeyring;
  tempDir: string;
  dataDir: string;
  userHome: string;
  workspace: string;
  helper: RunningHelper;
  /** Another helper with the same env (a restart on `port`, or one with its own data folder and HOME); stopped by `stop()`. */
  startHelper(options?: { port?: number; dataDir?: string; env?: NodeJS.ProcessEnv }): Promise<RunningHelper>;
  /** A contract connection to `helper`, as a second window would have; opened on first use. */
  client(): Promise<ContractClient>;
  /** Adds the topology's primary through the contract (connecting in the UI is clone-flow's subject); returns its name. */
  connectPrimary(): Promise<string>;
  /** A page on the helper's UI (light, 1200×1000, CSP bypassed so axe can be injected) unless `context` says otherwise. */
  /** `beforeLoad` runs on the new page before it navigates (e.g. to route its WebSocket). */
  openPage(options?: { context?: BrowserContextOptions; initScript?: string; url?: string; beforeLoad?: (page: Page) => Promise<void> }): Promise<{ page: Page; errors: string[] }>;
  stop(): Promise<void>;
}

/** 600×450 CSS pixels at twice the density: a 1200×900 window at 200% zoom. Keeps the page's CSP, so a violation shows. */
export const at200PercentZoom: BrowserContextOptions = { viewport: { width: 600, height: 450 }, deviceScaleFactor: 2, bypassCSP: false };

/** How far the page (and `inside`, a scrolling pane, if given) scrolls sideways: 0 or less when it fits. */
export async function sidewaysOverflow(page: Page, inside?: string): Promise<number> {
  return (await page.evaluate(`(() => {
    const overflow = (element) => (element ? element.scrollWidth - element.clientWidth : -Infinity);
    return Math.max(overflow(document.documentElement), overflow(${inside ? `document.querySelector(${JSON.stringify(inside)})` : 'null'}));
  })()`)) as number;
}

const run = promisify(execFile);

export async function startE2eWorld(options: E2eWorldOptions = {}): Promise<E2eWorld> {
  requireRendererDist();
  // Undone last-in first-out by stop(); a step that fails to start pushes nothing.
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    let firstError: unknown;
    for (let next = stops.pop(); next; next = stops.pop()) await next().catch((error: unknown) => (firstError ??= error));
    if (firstError) throw firstError;
  };

  const track = async <T>(starting: Promise<T>, stopIt: (value: T) => Promise<void>): Promise<T> => {
    const value = await starting;
    stops.push(() => stopIt(value));
    return value;
  };
  const starting = [
    track(makeTempDir('e2e'), (temp) => temp.cleanup()),
    track(startTestKeyring(), (keyring) => keyring.stop()),
    track(startTopology(options.topology ?? {}), (topology) => topology.stop()),
    track(launchChromium(), (browser) => browser.close()),
  ] as const;
  // Every start is let to finish (or fail) before anything is stopped, so none is left running.
  const failed = (await Promise.allSettled(starting)).find((result) => result.status === 'rejected');
  if (failed) {
    await stop().catch(() => {});
    throw failed.reason;
  }
  const [temp, keyring, topology, browser] = await Promise.all(starting);

  try {
    const tempDir = temp.path;
    const dirs = { tempDir, dataDir: path.join(tempDir, 'data'), userHome: path.join(tempDir, 'user-home'), workspace: path.join(tempDir, 'workspace') };
    await Promise.all([mkdir(dirs.workspace), mkdir(path.join(dirs.userHome, '.ssh'), { recursive: true, mode: 0o700 }), mkdir(screenshotDir, { recursive: true })]);
    for (const type of options.sshKeys ?? []) {
      await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `${type}@laptop`, '-f', path.join(dirs.userHome, '.ssh', `id_${type}`)]);
    }
    const prepared = await options.prepare?.({ ...dirs, topology });
    const env: NodeJS.ProcessEnv = { ...keyring.env, HOME: dirs.userHome, SSH_AUTH_SOCK: '', MIRROR_CLONE_TOKEN: undefined, ...options.helperEnv, ...prepared };

    const startHelper: E2eWorld['startHelper'] = async (helper = {}) => {
      const running = await startHelperProcess({ home: helper.dataDir ?? dirs.dataDir, ui: rendererDist, port: helper.port, env: { ...env, ...helper.env } });
      stops.push(running.stop);
      return running;
    };
    const helper = await startHelper();

    let connection: ReturnType<typeof connectClient> | undefined;
    const client = async () => {
      if (!connection) {
        connection = connectClient(helper.address.url, helper.address.token);
        const { socket } = await connection;
        stops.push(async () => socket.close());
      }
      return (await connection).client;
    };

    return {
      ...dirs,
      topology,
      keyring,
      helper,
      startHelper,
      client,
      async connectPrimary() {
        const credentials = { kind: 'token' as const, token: topology.credentials.token };
        return (await (await client()).call('primaries.add', { baseUrl: topology.primary.baseUrl, credentials })).name;
      },
      async openPage({ context: contextOptions, initScript, url, beforeLoad } = {}) {
        const context = await browser.browser.newContext({ colorScheme: 'light', viewport: { width: 1200, height: 1000 }, bypassCSP: true, ...contextOptions });
        stops.push(() => context.close());
        const page = await context.newPage();
        const errors = collectPageErrors(page);
        if (initScript) await page.addInitScript(initScript);
        await beforeLoad?.(page);
        await page.goto(url ?? helper.address.uiUrl!);
        return { page, errors };
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
