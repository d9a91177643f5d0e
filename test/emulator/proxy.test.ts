import { afterEach, describe, expect, it } from 'vitest';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { startShapingProxy } from '../fixtures/net/shaping-proxy';
import {
  connect,
  connectOutcome,
  echoRoundTrip,
  median,
  sleep,
  startEchoServer,
  startLocalServer,
  startSourceServer,
} from '../fixtures/net/local-servers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function echoBehindProxy(shape: { delayMs: number; bandwidthBytesPerSec?: number }) {
  const server = await startEchoServer();
  cleanups.push(() => server.close());
  const proxy = await startShapingProxy({ targetPort: server.port, shape });
  cleanups.push(() => proxy.stop());
  return { server, proxy };
}

async function open(port: number): Promise<net.Socket> {
  const socket = await connect(port);
  socket.on('error', () => {});
  cleanups.push(() => void socket.destroy());
  return socket;
}

async function roundTrips(socket: net.Socket, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await echoRoundTrip(socket));
  return times;
}

/** Resolves with whether `socket` received any data within `ms`. */
function receivesWithin(socket: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('data', onData);
      resolve(false);
    }, ms);
    const onData = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('data', onData);
  });
}

describe('shaping proxy: latency', () => {
  it('a 100 ms link (50 ms each way) measures 100 ± 15 ms per round trip on a kept-alive connection', async () => {
    const { proxy } = await echoBehindProxy({ delayMs: 50 });
    const socket = await open(proxy.port);
    await echoRoundTrip(socket); // warm up
    const rtt = median(await roundTrips(socket, 9));
    expect(rtt).toBeGreaterThanOrEqual(85);
    expect(rtt).toBeLessThanOrEqual(115);
  });

  it('setShape changes the delay of an open connection', async () => {
    const { proxy } = await echoBehindProxy({ delayMs: 50 });
    const socket = await open(proxy.port);
    proxy.setShape({ delayMs: 0 });
    expect(median(await roundTrips(socket, 5))).toBeLessThan(30);
    proxy.setShape({ delayMs: 100 });
    const rtt = median(await roundTrips(socket, 5));
    expect(rtt).toBeGreaterThanOrEqual(185);
    expect(rtt).toBeLessThanOrEqual(230);
  });

  it('pipelines: messages sent 10 ms apart each take one round trip, not one after another', async () => {
    const { proxy } = await echoBehindProxy({ delayMs: 50 });
    const socket = await open(proxy.port);
    const sentAt: number[] = [];
    const backAt: number[] = [];
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i++) backAt[received++] = performance.now();
    });
    for (let i = 0; i < 10; i++) {
      sentAt.push(performance.now());
      socket.write('x');
      await sleep(10);
    }
    while (received < 10) await sleep(10);
    const latencies = sentAt.map((t, i) => backAt[i] - t);
    // A serialising proxy would make the last one wait ~10 round trips.
    expect(median(latencies)).toBeLessThanOrEqual(125);
    expect(Math.max(...latencies)).toBeLessThan(250);
  });
});

describe('shaping proxy: bandwidth', () => {
  it('caps server->client throughput at the configured rate (2 MB/s, 4 MB) within 15%', async () => {
    const cap = 2_000_000;
    const total = 4 * 1024 * 1024;
    const server = await startSourceServer(total);
    cleanups.push(() => server.close());
    const proxy = await startShapingProxy({ targetPort: server.port, shape: { delayMs: 10, bandwidthBytesPerSec: cap } });
    cleanups.push(() => proxy.stop());
    const socket = await open(proxy.port);
    let firstAt = 0;
    let firstBytes = 0;
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      if (!firstAt) [firstAt, firstBytes] = [performance.now(), chunk.length];
      received += chunk.length;
    });
    await new Promise((resolve) => socket.once('end', resolve));
    const rate = (received - firstBytes) / ((performance.now() - firstAt) / 1000);
    expect(received).toBe(total);
    expect(proxy.bytesDownstream).toBe(total);
    expect(rate).toBeGreaterThan(cap * 0.85);
    expect(rate).toBeLessThan(cap * 1.15);
  });

  it('caps client->server throughput as well (2 MB/s, 4 MB)', async () => {
    const cap = 2_000_000;
    const total = 4 * 1024 * 1024;
    let firstAt = 0;
    let firstBytes = 0;
    let received = 0;
    let lastAt = 0;
    const done = new Promise<void>((resolve) => {
      void startLocalServer((socket) => {
        socket.on('data', (chunk: Buffer) => {
          if (!firstAt) [firstAt, firstBytes] = [performance.now(), chunk.length];
          received += chunk.length;
          lastAt = performance.now();
        });
        socket.on('end', () => resolve());
      }).then((server) => {
        cleanups.push(() => server.close());
        return startShapingProxy({ targetPort: server.port, shape: { delayMs: 10, bandwidthBytesPerSec: cap } });
      }).then(async (proxy) => {
        cleanups.push(() => proxy.stop());
        const socket = await open(proxy.port);
        socket.end(Buffer.alloc(total, 1));
      });
    });
    await done;
    const rate = (received - firstBytes) / ((lastAt - firstAt) / 1000);
    expect(received).toBe(total);
    expect(rate).toBeGreaterThan(cap * 0.85);
    expect(rate).toBeLessThan(cap * 1.15);
  });

  it('with sharedBandwidth, parallel connections split the cap (a thin link); without, each gets all of it', async () => {
    const cap = 2_000_000;
    const each = 2 * 1024 * 1024;
    const server = await startSourceServer(each);
    cleanups.push(() => server.close());
    const combinedRate = async (sharedBandwidth: boolean) => {
      const proxy = await startShapingProxy({ targetPort: server.port, shape: { delayMs: 10, bandwidthBytesPerSec: cap, sharedBandwidth } });
      cleanups.push(() => proxy.stop());
      const sockets = await Promise.all([open(proxy.port), open(proxy.port)]);
      const started = performance.now();
      await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.on('data', () => {}).once('end', resolve))));
      expect(proxy.bytesDownstream).toBe(2 * each);
      return (2 * each) / ((performance.now() - started) / 1000);
    };
    const shared = await combinedRate(true);
    expect(shared).toBeGreaterThan(cap * 0.8);
    expect(shared).toBeLessThan(cap * 1.15);
    expect(await combinedRate(false)).toBeGreaterThan(cap * 1.6);
  });

  it('applies backpressure: a client that stops reading stops the server, the proxy does not buffer everything', async () => {
    const total = 256 * 1024 * 1024;
    let acceptedByKernel = 0;
    const server = await startLocalServer((socket) => {
      const block = Buffer.alloc(1024 * 1024, 7);
      const pump = () => {
        while (acceptedByKernel < total) {
          const more = socket.write(block, (error) => {
            if (!error) acceptedByKernel += block.length;
          });
          if (!more) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    cleanups.push(() => server.close());
    const proxy = await startShapingProxy({ targetPort: server.port, shape: { delayMs: 5 } });
    cleanups.push(() => proxy.stop());
    const socket = await open(proxy.port);
    socket.pause();
    await sleep(1500);
    // Kernel socket buffers on the way hold some megabytes, the proxy queue at most 4 MiB.
    expect(acceptedByKernel).toBeGreaterThan(0);
    expect(acceptedByKernel).toBeLessThan(48 * 1024 * 1024);
  });
});

describe('shaping proxy: faults', () => {
  it("'refuse' makes new connections fail with ECONNREFUSED; lifting it serves the same port again", async () => {
    const { proxy } = await echoBehindProxy({ delayMs: 1 });
    const before = await open(proxy.port);
    proxy.setFault({ kind: 'refuse' });
    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');
    // A connection that was already open keeps working.
    expect(await echoRoundTrip(before)).toBeLessThan(1000);
    proxy.setFault({ kind: 'none' });
    await sleep(20);
    const after = await open(proxy.port);
    expect(await echoRoundTrip(after)).toBeLessThan(1000);
  });

  it("'refuse' by reset keeps the port but resets every new connection", async () => {
    const server = await startEchoServer();
    cleanups.push(() => server.close());
    const proxy = await startShapingProxy({ targetPort: server.port, shape: { delayMs: 1 }, refuseBy: 'reset', fault: { kind: 'refuse' } });
    cleanups.push(() => proxy.stop());
    // Depending on timing the reset arrives during or right after the handshake.
    const outcome = await connectOutcome(proxy.port, 2000);
    expect(['ECONNRESET', 'closed']).toContain(outcome);
    expect(server.openSockets).toBe(0);
  });

  it("'stall' accepts but forwards nothing, on new and open connections, until lifted", async () => {
    const { proxy, server } = await echoBehindProxy({ delayMs: 1 });
    const open1 = await open(proxy.port);
    await echoRoundTrip(open1);
    proxy.setFault({ kind: 'stall' });
    const blackholed = await open(proxy.port);
    const fromOpen = receivesWithin(open1, 400);
    const fromNew = receivesWithin(blackholed, 400);
    open1.write('a');
    blackholed.write('b');
    expect(await fromOpen).toBe(false);
    expect(await fromNew).toBe(false);
    // The blackholed connection never reached the server.
    expect(server.openSockets).toBe(1);
    const resumed = Promise.all([receivesWithin(open1, 2000), receivesWithin(blackholed, 2000)]);
    proxy.setFault({ kind: 'none' });
    expect(await resumed).toEqual([true, true]);
  });

  it("'cut-after-bytes' ends a connection right after N bytes went downstream and resets the server side", async () => {
    const server = await startSourceServer(2 * 1024 * 1024);
    cleanups.push(() => server.close());
    const proxy = await startShapingProxy({ targetPort: server.port, shape: { delayMs: 2 }, fault: { kind: 'cut-after-bytes', bytes: 300_000 } });
    cleanups.push(() => proxy.stop());
    const receiveAll = async () => {
      const socket = await open(proxy.port);
      let received = 0;
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      await new Promise((resolve) => socket.once('close', resolve));
      return received;
    };
    expect(await receiveAll()).toBe(300_000);
    expect(proxy.bytesDownstream).toBe(300_000);
    // The count is per connection: the next one gets its own 300 000 bytes.
    expect(await receiveAll()).toBe(300_000);
    expect(proxy.bytesDownstream).toBe(600_000);
    for (let i = 0; i < 100 && server.openSockets > 0; i++) await sleep(10);
    expect(server.openSockets).toBe(0);
  });

  it("'cut-after-bytes' also cuts an open connection that is already past N", async () => {
    const { proxy } = await echoBehindProxy({ delayMs: 1 });
    const socket = await open(proxy.port);
    await echoRoundTrip(socket, 'hello world');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    proxy.setFault({ kind: 'cut-after-bytes', bytes: 5 });
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});

describe('shaping proxy: server down', () => {
  it('resets the client when the server behind it does not accept', async () => {
    const server = await startEchoServer();
    const port = server.port;
    await server.close();
    const proxy = await startShapingProxy({ targetPort: port, shape: { delayMs: 1 } });
    cleanups.push(() => proxy.stop());
    expect(['ECONNRESET', 'closed']).toContain(await connectOutcome(proxy.port, 2000));
    for (let i = 0; i < 100 && proxy.openConnections > 0; i++) await sleep(10);
    expect(proxy.openConnections).toBe(0);
  });
});

describe('shaping proxy: stop', () => {
  it('closes every socket and the port', async () => {
    const server = await startEchoServer();
    cleanups.push(() => server.close());
    const proxy = await startShapingProxy({ targetPort: server.port, shape: { delayMs: 5 } });
    const sockets = [await open(proxy.port), await open(proxy.port)];
    await Promise.all(sockets.map((s) => echoRoundTrip(s)));
    expect(server.openSockets).toBe(2);
    const closed = Promise.all(sockets.map((s) => new Promise((resolve) => s.once('close', resolve))));
    await proxy.stop();
    await closed;
    expect(proxy.openConnections).toBe(0);
    expect(await connectOutcome(proxy.port)).toBe('ECONNREFUSED');
    for (let i = 0; i < 50 && server.openSockets > 0; i++) await sleep(10);
    expect(server.openSockets).toBe(0);
  });
});
