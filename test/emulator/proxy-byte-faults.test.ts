/**
 * The shaping proxy's byte faults as a resumable clone's tests use them: a cut once or every
 * time, a stall of one connection, and a cut counted over every connection since the fault was set.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type net from 'node:net';
import { startShapingProxy } from '../fixtures/net/shaping-proxy';
import { connect, sleep, startSourceServer } from '../fixtures/net/local-servers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function sourceBehindProxy(bytes: number) {
  const server = await startSourceServer(bytes);
  cleanups.push(() => server.close());
  const proxy = await startShapingProxy({ targetPort: server.port, shape: { delayMs: 1 } });
  cleanups.push(() => proxy.stop());
  return proxy;
}

async function open(port: number): Promise<net.Socket> {
  const socket = await connect(port);
  socket.on('error', () => {});
  cleanups.push(() => void socket.destroy());
  return socket;
}

/** Everything one connection receives until it closes, or until it has been quiet for `quietMs`. */
async function receive(port: number, quietMs = 1_000): Promise<{ bytes: number; closed: boolean }> {
  return (await receiving(port, quietMs)).settled;
}

/** The same, with the connection's running byte count, which goes on after it settled quiet. */
async function receiving(port: number, quietMs: number): Promise<{ settled: Promise<{ bytes: number; closed: boolean }>; total(): number }> {
  const socket = await open(port);
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const settled = new Promise<{ bytes: number; closed: boolean }>((resolve) => {
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(() => resolve({ bytes, closed: false }), quietMs);
    };
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      quiet();
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ bytes, closed: true });
    });
    quiet();
  });
  return { settled, total: () => bytes };
}

describe('shaping proxy: byte faults counted per connection', () => {
  it('times: 1 cuts one connection after N bytes, then lifts itself', async () => {
    const proxy = await sourceBehindProxy(1_000_000);
    proxy.setFault({ kind: 'cut-after-bytes', bytes: 200_000, times: 1 });
    expect(await receive(proxy.port)).toEqual({ bytes: 200_000, closed: true });
    expect(await receive(proxy.port)).toEqual({ bytes: 1_000_000, closed: true });
    expect(proxy.struckConnections).toBe(1);
  });

  it('without times it cuts every connection', async () => {
    const proxy = await sourceBehindProxy(1_000_000);
    proxy.setFault({ kind: 'cut-after-bytes', bytes: 150_000 });
    for (let i = 0; i < 3; i += 1) expect(await receive(proxy.port)).toEqual({ bytes: 150_000, closed: true });
    expect(proxy.struckConnections).toBe(3);
  });

  it('stall-after-bytes silences one connection for good, and the next one flows', async () => {
    const proxy = await sourceBehindProxy(1_000_000);
    proxy.setFault({ kind: 'stall-after-bytes', bytes: 300_000, times: 1 });
    const stalled = await receiving(proxy.port, 800);
    expect(await stalled.settled).toEqual({ bytes: 300_000, closed: false });
    expect(proxy.openConnections).toBeGreaterThanOrEqual(1);
    expect(await receive(proxy.port)).toEqual({ bytes: 1_000_000, closed: true });
    // Lifting the fault does not wake the stalled one: it stays a dead link.
    proxy.setFault({ kind: 'none' });
    await sleep(300);
    expect(stalled.total()).toBe(300_000);
    expect(proxy.struckConnections).toBe(1);
  });

  it('set on a connection already past its bytes, it silences that one for good, though the fault then lifts itself', async () => {
    const server = await startSourceServer(2_000_000);
    cleanups.push(() => server.close());
    const proxy = await startShapingProxy({ targetPort: server.port, shape: { delayMs: 1, bandwidthBytesPerSec: 1_000_000 } });
    cleanups.push(() => proxy.stop());
    const flowing = await receiving(proxy.port, 5_000);
    await sleep(300);
    expect(flowing.total()).toBeGreaterThan(0);
    proxy.setFault({ kind: 'stall-after-bytes', bytes: 0, times: 1 });
    await sleep(50);
    const atStall = flowing.total();
    await sleep(500);
    expect(proxy.struckConnections).toBe(1);
    expect(flowing.total()).toBe(atStall);
  });
});

describe("shaping proxy: byte faults counted 'since-set'", () => {
  it('cuts the connection in flight once the bytes over all connections reach N', async () => {
    const proxy = await sourceBehindProxy(400_000);
    proxy.setFault({ kind: 'cut-after-bytes', bytes: 1_000_000, times: 1, counted: 'since-set' });
    expect(await receive(proxy.port)).toEqual({ bytes: 400_000, closed: true });
    expect(await receive(proxy.port)).toEqual({ bytes: 400_000, closed: true });
    // 800 000 so far: this one is cut after 200 000 more.
    expect(await receive(proxy.port)).toEqual({ bytes: 200_000, closed: true });
    expect(await receive(proxy.port)).toEqual({ bytes: 400_000, closed: true });
    expect(proxy.struckConnections).toBe(1);
  });
});
