// The topology as a whole: start-up time for a primary and three mirrors, what stop() leaves
// behind (nothing), and the network controls (faults and shape) in front of each instance.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitClient } from '../fixtures/bitbucket/git-client';
import { startTopology, type Topology, type TopologyDescription } from '../fixtures/bitbucket/topology';

const ONE_PLUS_THREE: TopologyDescription = {
  primary: { delayMs: 5 },
  mirrors: [
    { name: 'near', delayMs: 1 },
    { name: 'middle', delayMs: 10, refuseKeyTypes: ['ED25519'] },
    { name: 'far', delayMs: 40, enabled: false },
  ],
  projects: [
    { key: 'CORE', repos: [{ slug: 'api' }, { slug: 'web' }, { slug: 'docs', mirroredOn: ['near'] }] },
    { key: 'OPS', repos: [{ slug: 'infra' }] },
  ],
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function timedStatus(baseUrl: string): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}/status`, { signal: AbortSignal.timeout(3_000) });
    await response.text();
    return { ms: performance.now() - started, ok: response.ok };
  } catch {
    return { ms: performance.now() - started, ok: false };
  }
}

describe('a primary and three mirrors', () => {
  it('start in under 5 s and leave no process, port or directory behind after stop', async () => {
    const started = performance.now();
    const world = await startTopology(ONE_PLUS_THREE);
    const wallMs = performance.now() - started;
    console.log(`[topology] 1 primary + 3 mirrors, 4 repos: started in ${wallMs.toFixed(0)} ms (startupMs ${world.startupMs.toFixed(0)})`);
    expect(wallMs).toBeLessThan(5_000);

    const pids = world.pids();
    const ports = world.ports();
    // Four sshd listeners, and per instance: HTTP server, its proxy, sshd, its proxy.
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect(ports).toHaveLength(16);
    for (const port of ports) expect(await accepts(port)).toBe(true);
    for (const handle of [world.primary, ...Object.values(world.mirrors)]) expect((await timedStatus(handle.baseUrl)).ok).toBe(true);
    // A repository is copied only onto the mirrors that hold it.
    expect(existsSync(world.repo('CORE', 'docs').mirrorDiskPath('near'))).toBe(true);
    expect(existsSync(world.repo('CORE', 'docs').mirrorDiskPath('middle'))).toBe(false);

    const stopStarted = performance.now();
    await world.stop();
    console.log(`[topology] stopped in ${(performance.now() - stopStarted).toFixed(0)} ms`);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    for (const port of ports) expect(await accepts(port), `port ${port}`).toBe(false);
    expect(existsSync(world.rootDir)).toBe(false);
  });

  it('stop() also ends a clone that is still running, and every process it started', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'topology-stop-'));
    const world = await startTopology({
      // 200 KB/s makes a 2 MB clone take about ten seconds: it is surely running when we stop.
      primary: { ssh: false, bandwidthBytesPerSec: 200_000 },
      projects: [{ key: 'BIG', repos: [{ slug: 'blob', sizeBytes: 2_000_000 }] }],
    });
    try {
      const git = await createGitClient({ workDir, credentials: { user: world.credentials.user, password: world.credentials.password } });
      let finished = false;
      const clone = git.run(['clone', '--quiet', '--', world.repo('BIG', 'blob').httpUrl, join(workDir, 'blob')]).finally(() => (finished = true));
      // Mid-transfer: the pack has begun to cross the shaped link. (git http-backend may already
      // have written the whole pack into the proxy's buffers and exited; whatever runs is ended.)
      const deadline = Date.now() + 10_000;
      while (world.primary.proxy.bytesDownstream < 100_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(world.primary.proxy.bytesDownstream).toBeGreaterThanOrEqual(100_000);
      expect(finished).toBe(false);
      const runningPids = world.pids();
      await world.stop();
      for (const pid of runningPids) expect(isAlive(pid)).toBe(false);
      expect(world.pids()).toEqual([]);
      expect((await clone).code).not.toBe(0);
    } finally {
      await world.stop();
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it('refuses a description naming an unknown mirror or key type, before starting anything', async () => {
    await expect(startTopology({ mirrors: [{ name: 'a' }], projects: [{ key: 'X', repos: [{ slug: 'r', mirroredOn: ['b'] }] }] })).rejects.toThrow(/unknown mirror b/);
    await expect(startTopology({ mirrors: [{ name: 'a', refuseKeyTypes: ['ED448'] }] })).rejects.toThrow(/unknown key type ED448/);
  });
});

describe('network controls', () => {
  let world: Topology;
  beforeAll(async () => {
    world = await startTopology({ primary: { ssh: false }, mirrors: [{ name: 'm', delayMs: 0 }], projects: [] });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('adds the configured one-way delay in each direction', async () => {
    const fast = await timedStatus(world.mirrors.m!.baseUrl);
    world.setShape('m', { delayMs: 150 });
    try {
      const slow = await timedStatus(world.mirrors.m!.baseUrl);
      expect(slow.ok).toBe(true);
      // Request and answer each cross the link once: at least 2 x 150 ms, even on a reused connection.
      expect(slow.ms).toBeGreaterThanOrEqual(300);
      expect(slow.ms).toBeGreaterThan(fast.ms);
    } finally {
      world.setShape('m', { delayMs: 0 });
    }
  });

  it('refuses connections under the refuse fault and recovers when it is lifted', async () => {
    // New connections are what a refusing server turns away (fetch may reuse an open one).
    const port = world.mirrors.m!.proxy.port;
    world.setFault('m', { kind: 'refuse' });
    expect(await accepts(port)).toBe(false);
    expect(await accepts(world.primary.proxy.port)).toBe(true);
    world.setFault('m', { kind: 'none' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await accepts(port)).toBe(true);
    expect((await timedStatus(world.mirrors.m!.baseUrl)).ok).toBe(true);
  });
});
