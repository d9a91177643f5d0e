/**
 * The short measurement transfer against real `git http-backend` behind shaped links: it tells a
 * thin link from a fat one in well under a second, costs at most its byte cap, and fails
 * clearly on a server that refuses.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { probeThroughput } from '../../electron/helper/transfer/throughput-probe';

let topology: Topology;
let tip: string;
const thinBytesPerSecond = 1_000_000;
const fatBytesPerSecond = 20_000_000;

beforeAll(async () => {
  topology = await startTopology({
    primary: { delayMs: 20 },
    mirrors: [
      { name: 'thin', delayMs: 2, bandwidthBytesPerSec: thinBytesPerSecond },
      { name: 'fat', delayMs: 15, bandwidthBytesPerSec: fatBytesPerSecond },
    ],
    projects: [{ key: 'BIG', repos: [{ slug: 'assets', sizeBytes: 8_000_000, commits: 12, seed: 'probe' }] }],
  });
  tip = execFileSync('git', ['--git-dir', topology.repo('BIG', 'assets').diskPath, 'rev-parse', 'refs/heads/main'], { encoding: 'utf8' }).trim();
}, 120_000);

afterAll(async () => {
  await topology?.stop();
});

const auth = () => ({ bearerToken: topology.credentials.token });

describe('measuring throughput with a short pack transfer', () => {
  it('reads about the thin link’s rate within its time cap, and a fat link many times faster within its byte cap', async () => {
    const repo = topology.repo('BIG', 'assets');
    const thin = await probeThroughput({ url: repo.mirrorHttpUrl('thin'), want: tip, auth: auth(), maxMs: 600, maxBytes: 4_000_000 });
    const fat = await probeThroughput({ url: repo.mirrorHttpUrl('fat'), want: tip, auth: auth(), maxMs: 600, maxBytes: 4_000_000 });
    // The shaping proxy releases bytes at its rate in small slices, so the reading sits close to
    // the cap; the band allows for the first slices and a busy machine.
    expect(thin.bytesPerSecond!).toBeGreaterThan(thinBytesPerSecond * 0.5);
    expect(thin.bytesPerSecond!).toBeLessThan(thinBytesPerSecond * 1.5);
    expect(thin.payloadMs).toBeLessThan(900);
    expect(fat.bytesPerSecond!).toBeGreaterThan(thin.bytesPerSecond! * 5);
    // Hung up at the byte cap: at most one read past it.
    expect(fat.bytes).toBeGreaterThanOrEqual(4_000_000);
    expect(fat.bytes).toBeLessThan(4_000_000 + 256 * 1024);
  });

  it('takes a byte cap reached sooner than can be timed for a fast server, at no less than the cap over the shortest time', async () => {
    // The primary is unshaped: 512 KB usually arrive within a few milliseconds.
    const fast = await probeThroughput({ url: topology.repo('BIG', 'assets').httpUrl, want: tip, auth: auth(), maxMs: 600, maxBytes: 512 * 1024 });
    expect(fast.bytesPerSecond).toBeDefined();
    expect(fast.bytesPerSecond!).toBeCloseTo((fast.payloadBytes / Math.max(fast.payloadMs, 50)) * 1000, 3);
  });

  it('fails with the server’s answer when it refuses, and when it lacks the commit', async () => {
    const repo = topology.repo('BIG', 'assets');
    await expect(probeThroughput({ url: repo.httpUrl, want: tip })).rejects.toThrow(/answered a pack request with HTTP 401/);
    await expect(probeThroughput({ url: repo.httpUrl, want: 'f'.repeat(40), auth: auth(), firstByteTimeoutMs: 2_000 })).rejects.toThrow(/refused the pack request: .*not our ref/);
  });

  it('stops at once when cancelled', async () => {
    const repo = topology.repo('BIG', 'assets');
    const controller = new AbortController();
    const started = performance.now();
    const probe = probeThroughput({ url: repo.mirrorHttpUrl('thin'), want: tip, auth: auth(), maxMs: 5_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(probe).rejects.toThrow(/cancelled/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses a web page in place of a pack, and stops a server that sends without end at its byte cap', async () => {
    const tip40 = 'a'.repeat(40);
    const server = http.createServer((request, response) => {
      if (request.url?.startsWith('/page/')) {
        response.writeHead(200, { 'Content-Type': 'text/html' });
        response.end('<html>Sign in</html>');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-result' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (response.write(chunk));
        response.once('drain', pump);
      };
      pump();
      request.on('close', () => response.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(probeThroughput({ url: `${base}/page/repo.git`, want: tip40 })).rejects.toThrow(/answered a pack request with text\/html, not a pack/);
    const endless = await probeThroughput({ url: `${base}/endless/repo.git`, want: tip40, maxBytes: 1_000_000, maxMs: 5_000 });
    expect(endless.bytes).toBeGreaterThanOrEqual(1_000_000);
    expect(endless.bytes).toBeLessThan(1_000_000 + 256 * 1024);
  });
});
