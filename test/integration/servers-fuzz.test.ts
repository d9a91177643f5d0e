/**
 * Bad input cannot take the helper down: thousands of malformed requests (bad request lines and
 * escapes, absurd headers, garbage, resets) at each of its servers (local mirrors, the UI's
 * files, the WebSocket upgrade) and malformed frames on authenticated WebSocket connections.
 * After each batch the server still answers a valid request and the helper process lives.
 * Cases come from a seeded generator: FUZZ_SEED=<n> replays another set, and a failure names
 * the seed and the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startHelperProcess, type RunningHelper } from '../support/helper-process';
import { makeTempDir } from '../support/temp-dir';
import { connectClient } from '../support/websocket-client';
import { rawExchange, rawReset } from '../support/raw-http';
import { openRawWebSocket } from '../support/raw-websocket';
import { malformedFrames, malformedRequests, type MalformedRequest } from '../support/malformed-input';
import { secretFile } from '../../electron/helper/cache/serve-secret';
import { rendererDist } from '../support/browser';
import { existsSync } from 'node:fs';

const seed = Number(process.env.FUZZ_SEED ?? 16);
const requestsPerServer = 1_200;
const framedConnections = 300;
const inParallel = 24;

let topology: Topology;
let helper: RunningHelper;
let home: Awaited<ReturnType<typeof makeTempDir>>;
let uiPort: number;
let mirrorPort: number;
let mirrorAuthorization: string;

beforeAll(async () => {
  [topology, home] = await Promise.all([
    startTopology({ mirrors: [{ name: 'near' }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo', sizeBytes: 100_000, seed: 3 }] }] }),
    makeTempDir('servers-fuzz'),
  ]);
  // The built UI when there is one; any folder with an index.html serves as well.
  const ui = existsSync(path.join(rendererDist, 'index.html')) ? rendererDist : path.resolve(import.meta.dirname, '..', '..', 'renderer');
  helper = await startHelperProcess({ home: path.join(home.path, 'data'), ui, env: { MIRROR_CLONE_TOKEN: topology.credentials.token } });
  uiPort = Number(new URL(helper.address.url).port);
  const { client, socket } = await connectClient(helper.address.url, helper.address.token);
  await client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
  mirrorPort = (await client.call('cache.serve', {})).port;
  socket.close();
  const secret = (await readFile(secretFile(helper.address.dataDir), 'utf8')).trim();
  mirrorAuthorization = `Basic ${Buffer.from(`mirror-clone:${secret}`).toString('base64')}`;
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await home?.cleanup();
});

function expectAlive(context: string): void {
  expect(helper.process.exitCode, `${context}: ${helper.stderr().slice(-2_000)}`).toBeNull();
  expect(helper.process.signalCode, context).toBeNull();
}

/** Sends every case, `inParallel` at a time, checking after each batch that `serves` still holds. */
async function throwAt(port: number, cases: MalformedRequest[], serves: () => Promise<void>): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (let start = 0; start < cases.length; start += inParallel) {
    await Promise.all(
      cases.slice(start, start + inParallel).map(async (fuzz) => {
        if (fuzz.reset) return rawReset(port, fuzz.bytes);
        const { status } = await rawExchange(port, fuzz.bytes, { halfClose: true, timeoutMs: 3_000 });
        if (status) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
    );
    if ((start / inParallel) % 10 === 9 || start + inParallel >= cases.length) {
      const context = `seed ${seed}, after cases up to ${cases[Math.min(start + inParallel, cases.length) - 1]!.label}`;
      expectAlive(context);
      await serves().catch((error: Error) => {
        throw new Error(`${context}: ${error.message}`);
      });
    }
  }
  return statuses;
}

async function mirrorServes(): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${mirrorPort}/proj/repo.git/info/refs?service=git-upload-pack`, { headers: { Authorization: mirrorAuthorization } });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('refs/heads/main');
}

async function uiServes(): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${uiPort}/`);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('<!doctype html>');
}

async function bridgeServes(): Promise<void> {
  const { client, socket } = await connectClient(helper.address.url, helper.address.token);
  await expect(client.call('helper.info', {})).resolves.toMatchObject({ state: 'ready' });
  socket.close();
}

/** Requests that took a server down before: each must get a plain 400. */
const knownKillers = ['/%ZZ/x.git/info/refs', '/%FF/x.git/info/refs', '//', 'http://['];

describe('every server of the helper under malformed input', () => {
  it('the local mirror server answers the known killers with 400 and serves after a few thousand more', async () => {
    for (const target of knownKillers) {
      expect((await rawExchange(mirrorPort, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${mirrorPort}\r\nConnection: close\r\n\r\n`)).status, target).toBe(400);
    }
    expect((await rawExchange(mirrorPort, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${mirrorPort}\r\nX-Huge: ${'a'.repeat(20_000)}\r\n\r\n`)).status).toBe(431);
    const statuses = await throwAt(mirrorPort, malformedRequests(seed, requestsPerServer, { port: mirrorPort, path: '/proj/repo.git/info/refs?service=git-upload-pack' }), mirrorServes);
    // Nothing got through without the secret, and the server did answer (not just drop) most cases.
    expect(statuses.get(200) ?? 0).toBe(0);
    expect((statuses.get(400) ?? 0) + (statuses.get(401) ?? 0)).toBeGreaterThan(requestsPerServer / 3);
  });

  it("the UI's file server answers the known killers with 400 and serves after a few thousand more", async () => {
    for (const target of knownKillers) {
      expect((await rawExchange(uiPort, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${uiPort}\r\nConnection: close\r\n\r\n`)).status, target).toBe(400);
    }
    const statuses = await throwAt(uiPort, malformedRequests(seed, requestsPerServer, { port: uiPort, path: '/index.html' }), uiServes);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(requestsPerServer / 4);
  });

  it('the WebSocket upgrade answers malformed upgrades, with and without the token, and serves after a few thousand', async () => {
    const upgrade = (token?: string) => ['Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Protocol: mirror-clone.v1${token ? `, token.${token}` : ''}`];
    for (const target of knownKillers) {
      const answer = await rawExchange(uiPort, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${uiPort}\r\n${upgrade(helper.address.token).join('\r\n')}\r\n\r\n`);
      expect(answer.status, target).toBe(400);
    }
    await throwAt(uiPort, malformedRequests(seed, requestsPerServer / 2, { port: uiPort, path: '/', upgradeHeaders: upgrade() }), bridgeServes);
    await throwAt(uiPort, malformedRequests(seed + 1, requestsPerServer / 2, { port: uiPort, path: '/', upgradeHeaders: upgrade(helper.address.token) }), bridgeServes);
  });

  it('authenticated WebSocket connections sending malformed, oversized and invalid frames are closed one by one', async () => {
    const cases = malformedFrames(seed, framedConnections);
    const codes = new Map<number | undefined, number>();
    for (let start = 0; start < cases.length; start += inParallel) {
      await Promise.all(
        cases.slice(start, start + inParallel).map(async (fuzz) => {
          const connection = await openRawWebSocket(uiPort, { token: helper.address.token });
          expect(connection.status, fuzz.label).toBe(101);
          for (const frame of fuzz.bytes) connection.socket.write(frame);
          if (fuzz.reset) {
            connection.socket.resetAndDestroy();
            return;
          }
          const code = await Promise.race([connection.closeCode(), new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 1_500))]);
          connection.socket.destroy();
          if (code !== 'open') codes.set(code, (codes.get(code) ?? 0) + 1);
        }),
      );
      expectAlive(`seed ${seed}, after frames up to ${cases[Math.min(start + inParallel, cases.length) - 1]!.label}`);
    }
    await bridgeServes();
    // The right close codes: protocol errors 1002, not UTF-8 1007, too big 1009.
    expect(codes.get(1002) ?? 0).toBeGreaterThan(0);
    expect(codes.get(1007) ?? 0).toBeGreaterThan(0);
    expect(codes.get(1009) ?? 0).toBeGreaterThan(0);
  });
});
