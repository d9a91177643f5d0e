/**
 * The helper's WebSocket and UI server on 127.0.0.1 are reachable by every user of the machine
 * and every web page in the user's browser. Only the UI served here (or a client that is no web
 * page at all) with the token gets a connection; resets and bad frames end one connection, never
 * the helper.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startHelperProcess, type RunningHelper } from '../support/helper-process';
import { startInProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { connectClient } from '../support/websocket-client';
import { clientFrame, handshake, openRawWebSocket } from '../support/raw-websocket';
import { rawExchange, rawReset } from '../support/raw-http';
import { launchChromium } from '../support/browser';
import { startWebSocketTransport } from '../../electron/helper/transports/websocket';
import { silentLogger } from '../../electron/helper/logger';
import type { Dispatcher } from '../../electron/helper/rpc/dispatcher';

let helper: RunningHelper;
let home: Awaited<ReturnType<typeof makeTempDir>>;
let port: number;

beforeAll(async () => {
  home = await makeTempDir('websocket-guard');
  const ui = path.join(home.path, 'ui');
  await mkdir(ui);
  await writeFile(path.join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  helper = await startHelperProcess({ home: path.join(home.path, 'data'), ui });
  port = Number(new URL(helper.address.url).port);
});

afterAll(async () => {
  await helper?.stop();
  await home?.cleanup();
});

/** The helper still runs and still answers a real client. */
async function expectServing(): Promise<void> {
  expect(helper.process.exitCode).toBeNull();
  expect(helper.process.signalCode).toBeNull();
  const { client, socket } = await connectClient(helper.address.url, helper.address.token);
  await expect(client.call('helper.info', {})).resolves.toMatchObject({ state: 'ready' });
  socket.close();
}

async function upgradeStatus(options: Parameters<typeof openRawWebSocket>[1]): Promise<number> {
  const connection = await openRawWebSocket(port, options);
  connection.socket.destroy();
  return connection.status;
}

describe("the helper's WebSocket", () => {
  it('accepts its own page and clients without an Origin; refuses a foreign Origin or Host even with the token', async () => {
    const token = helper.address.token;
    expect(await upgradeStatus({ token, origin: `http://127.0.0.1:${port}` })).toBe(101);
    expect(await upgradeStatus({ token, origin: `http://localhost:${port}`, host: `localhost:${port}` })).toBe(101);
    expect(await upgradeStatus({ token })).toBe(101);
    for (const origin of ['http://evil.example', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://localhost:${port}.evil.example`, 'null']) {
      expect(await upgradeStatus({ token, origin }), origin).toBe(403);
    }
    // DNS rebinding: the attacker's name resolved to 127.0.0.1, so the page is "same origin" with itself.
    expect(await upgradeStatus({ token, host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` })).toBe(403);
    expect((await rawExchange(port, `GET / HTTP/1.1\r\nHost: rebind.example:${port}\r\nConnection: close\r\n\r\n`)).status).toBe(403);
    expect((await rawExchange(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)).status).toBe(200);
    expect(await upgradeStatus({ token: 'f'.repeat(48), origin: `http://127.0.0.1:${port}` })).toBe(401);
    expect(await upgradeStatus({ origin: `http://127.0.0.1:${port}` })).toBe(401);
    await expectServing();
  });

  it('a page in the browser from another origin cannot connect even knowing the token; the UI served here can', async () => {
    const browser = await launchChromium();
    const elsewhere: Server = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    try {
      elsewhere.listen(0, '127.0.0.1');
      await once(elsewhere, 'listening');
      const page = await browser.browser.newPage();
      const tryToConnect = () =>
        page.evaluate(
          ([url, token]) =>
            new Promise<string>((resolve) => {
              const socket = new WebSocket(url!, ['mirror-clone.v1', `token.${token}`]);
              socket.onopen = () => {
                socket.close();
                resolve('open');
              };
              socket.onclose = (event) => resolve(`closed ${event.code}`);
            }),
          [helper.address.url, helper.address.token],
        );
      await page.goto(`http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`);
      expect(await tryToConnect()).toBe('closed 1006');
      await page.goto(`http://127.0.0.1:${port}/`);
      expect(await tryToConnect()).toBe('open');
    } finally {
      elsewhere.close();
      await browser.close();
    }
  });

  it('survives upgrade requests without the token that are reset, and resets at every step', async () => {
    const attempts: Array<Promise<void>> = [];
    for (let index = 0; index < 300; index += 1) {
      const withToken = index % 3 === 2;
      const bytes = handshake(port, withToken ? { token: helper.address.token } : {});
      // Reset at once, or once the helper has answered (its 401 or 101 then meets a reset socket), or half-way through the request.
      const step = index % 4;
      attempts.push(step === 3 ? rawReset(port, bytes.slice(0, bytes.length / 2)) : rawReset(port, bytes, { afterMs: step * 5 }));
      if (attempts.length === 30) await Promise.all(attempts.splice(0));
    }
    await Promise.all(attempts);
    // An established connection reset in the middle of a frame.
    const open = await openRawWebSocket(port, { token: helper.address.token });
    expect(open.status).toBe(101);
    open.socket.write(clientFrame({ opcode: 1, payload: Buffer.from('{"type":"request"') }).subarray(0, 9));
    open.socket.resetAndDestroy();
    await expectServing();
  });

  it('closes a connection that sends an oversized frame (1009) or text that is not UTF-8 (1007), and keeps serving', async () => {
    const oversized = await openRawWebSocket(port, { token: helper.address.token });
    expect(oversized.status).toBe(101);
    oversized.socket.write(clientFrame({ opcode: 1, payload: Buffer.alloc(2 * 1024 * 1024, 0x20) }));
    expect(await oversized.closeCode()).toBe(1009);
    await expectServing();

    const notUtf8 = await openRawWebSocket(port, { token: helper.address.token });
    notUtf8.socket.write(clientFrame({ opcode: 1, payload: Buffer.from([0xff, 0xfe, 0xfd, 0xfc]) }));
    expect(await notUtf8.closeCode()).toBe(1007);
    await expectServing();

    // Another connection open meanwhile is not affected.
    const { client, socket } = await connectClient(helper.address.url, helper.address.token);
    const bad = await openRawWebSocket(port, { token: helper.address.token });
    bad.socket.write(clientFrame({ opcode: 1, payload: Buffer.from([0xc3, 0x28]) }));
    expect(await bad.closeCode()).toBe(1007);
    await expect(client.call('helper.info', {})).resolves.toMatchObject({ state: 'ready' });
    socket.close();
  });
});

describe('a refused connection', () => {
  it('never reaches the contract', async () => {
    const inProcess = await startInProcessHelper();
    const real = inProcess.helper.dispatcher;
    let reached = 0;
    const counting: Dispatcher = {
      connect: (wire, kind) => {
        reached += 1;
        return real.connect(wire, kind);
      },
      broadcast: (event, payload) => real.broadcast(event, payload),
      get connectionCount() {
        return real.connectionCount;
      },
      closeAll: () => real.closeAll(),
    };
    const transport = await startWebSocketTransport(counting, { logger: silentLogger });
    try {
      const ownPort = Number(new URL(transport.url).port);
      const status = async (options: Parameters<typeof openRawWebSocket>[1]) => {
        const connection = await openRawWebSocket(ownPort, options);
        connection.socket.destroy();
        return connection.status;
      };
      expect(await status({})).toBe(401);
      expect(await status({ token: 'f'.repeat(48) })).toBe(401);
      expect(await status({ token: transport.token, origin: 'http://evil.example' })).toBe(403);
      expect(await status({ token: transport.token, host: `rebind.example:${ownPort}` })).toBe(403);
      expect(await status({ token: transport.token, path: '/%ZZ' })).toBe(400);
      await rawReset(ownPort, handshake(ownPort, {}), { afterMs: 5 });
      expect(reached).toBe(0);
      expect(await status({ token: transport.token })).toBe(101);
      await expect.poll(() => reached).toBe(1);
    } finally {
      await transport.close();
      await inProcess.stop();
    }
  });
});
