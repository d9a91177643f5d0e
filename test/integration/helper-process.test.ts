/**
 * The helper as its own process, reached over the WebSocket bridge the browser build uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { startHelperProcess, type RunningHelper } from '../support/helper-process';
import { makeTempDir } from '../support/temp-dir';
import { connectClient, openBridgeSocket, sendRaw } from '../support/websocket-client';
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';

let helper: RunningHelper;
let home: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  home = await makeTempDir('helper');
  const ui = path.join(home.path, 'ui');
  await mkdir(ui);
  await writeFile(path.join(ui, 'index.html'), '<!doctype html><title>ui</title>');
  helper = await startHelperProcess({ home: path.join(home.path, 'data'), ui });
});

afterAll(async () => {
  await helper?.stop();
  await home?.cleanup();
});

describe('the helper process', () => {
  it('prints one JSON line with a loopback address and a random token', () => {
    expect(helper.address.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
    expect(helper.address.token).toMatch(/^[0-9a-f]{48}$/);
    expect(helper.address.pid).toBe(helper.process.pid);
    expect(helper.address.dataDir).toBe(path.join(home.path, 'data'));
  });

  it('answers helper.info over the WebSocket with the product version and its data folder', async () => {
    const { client, socket } = await connectClient(helper.address.url, helper.address.token);
    const info = await client.call('helper.info', {});
    expect(info).toMatchObject({ version: packageJson.version, dataDir: path.join(home.path, 'data'), transport: 'websocket', state: 'ready', pid: helper.process.pid });
    socket.close();
  });

  it('refuses a connection with a wrong token or none', async () => {
    await expect(openBridgeSocket(helper.address.url, 'f'.repeat(48))).rejects.toThrow('HTTP 401');
    await expect(openBridgeSocket(helper.address.url, '')).rejects.toThrow('HTTP 401');
    expect(helper.stderr()).toContain('refused a WebSocket connection');
  });

  it('answers garbage with typed errors and keeps serving the same connection', async () => {
    const { client, socket } = await connectClient(helper.address.url, helper.address.token);
    expect(await sendRaw(socket, '{not json')).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await sendRaw(socket, Buffer.from([1, 2, 3]))).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await sendRaw(socket, JSON.stringify({ type: 'request', id: 'q', method: 'helper.info', params: [1] }))).toMatchObject({ id: 'q', ok: false, error: { code: 'INVALID_PARAMS' } });
    await expect(client.call('helper.info', {})).resolves.toMatchObject({ state: 'ready' });
    expect(helper.process.exitCode).toBeNull();
    socket.close();
  });

  it('serves the UI files but nothing outside them', async () => {
    const base = `http://127.0.0.1:${new URL(helper.address.url).port}`;
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // fetch resolves "/../" and "/%2e%2e/" itself: what reaches the server is /package.json, not in the UI.
    for (const escape of ['/../package.json', '/%2e%2e/package.json']) expect((await fetch(`${base}${escape}`)).status).toBe(404);
    // An encoded slash is no path to look for at all: refused as malformed, as every helper server does.
    expect((await fetch(`${base}/..%2f..%2fpackage.json`)).status).toBe(400);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('keeps a token it is given from the environment, and refuses a weak one before listening', async () => {
    const token = 'a'.repeat(24) + '-fixed_' + 'b'.repeat(10);
    const kept = await startHelperProcess({ home: path.join(home.path, 'data-kept'), env: { MIRROR_CLONE_HELPER_TOKEN: token } });
    try {
      expect(kept.address.token).toBe(token);
      const { client, socket } = await connectClient(kept.address.url, token);
      expect((await client.call('helper.info', {})).state).toBe('ready');
      socket.close();
    } finally {
      await kept.stop();
    }
    for (const weak of ['short', 'has spaces in it and is long enough to pass', 'x'.repeat(31)]) {
      await expect(startHelperProcess({ home: path.join(home.path, 'data-weak'), env: { MIRROR_CLONE_HELPER_TOKEN: weak } })).rejects.toThrow(/MIRROR_CLONE_HELPER_TOKEN must be 32 to 200 letters/);
    }
  });
});
