// The throughput each server delivered, per network and server origin: the decaying average,
// what is too small to count, ageing out, and the file it is kept in (with a fake clock).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createThroughputMemory, throughputOrigin } from '../../electron/helper/transfer/throughput-memory';
import { makeTempDir } from '../support/temp-dir';

const MB = 1_000_000;
const hour = 3_600_000;
const day = 24 * hour;
const office = { networkId: 'office', origin: 'https://mirror.example.com' };

/** A transfer of `bytes` at `bytesPerSecond`. */
const transfer = (bytes: number, bytesPerSecond: number) => ({ bytes, durationMs: (bytes / bytesPerSecond) * 1000 });

let clock = 0;
const now = () => clock;
let home: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  clock = Date.UTC(2026, 0, 5, 9);
  home = await makeTempDir('throughput');
});
afterEach(() => home.cleanup());

describe('server origins', () => {
  it.each([
    ['https://Mirror.Example.com:443/scm/proj/repo.git', 'https://mirror.example.com'],
    ['http://mirror.example.com:80/scm/proj/repo.git', 'http://mirror.example.com'],
    ['https://user@mirror.example.com:8443/scm/x.git', 'https://mirror.example.com:8443'],
    ['ssh://git@mirror.example.com:7999/proj/repo.git', 'ssh://mirror.example.com:7999'],
    ['ssh://git@Mirror.example.com:22/proj/repo.git', 'ssh://mirror.example.com'],
    ['git@mirror.example.com:proj/repo.git', 'ssh://mirror.example.com'],
    ['http://127.0.0.1:41234/scm/a/b.git', 'http://127.0.0.1:41234'],
  ])('%s is %s', (url, origin) => {
    expect(throughputOrigin(url)).toBe(origin);
  });

  it.each(['file:///tmp/repo', 'not a url', 'ext::sh -c x', ''])('%s is no server', (url) => {
    expect(throughputOrigin(url)).toBeUndefined();
  });
});

describe('throughput memory', () => {
  it('keeps a figure per network and server, found from any URL of that server', async () => {
    const memory = createThroughputMemory({ now });
    await memory.record({ networkId: 'office', origin: 'https://mirror.example.com/scm/proj/repo.git' }, transfer(50 * MB, 10 * MB));
    expect(await memory.estimate({ networkId: 'office', origin: 'https://mirror.example.com:443/scm/other/thing.git' })).toEqual({
      bytesPerSecond: 10 * MB,
      samples: 1,
      updatedAt: clock,
    });
    expect(await memory.estimate({ networkId: 'hotel', origin: 'https://mirror.example.com' })).toBeUndefined();
    expect(await memory.estimate({ networkId: 'office', origin: 'https://mirror.example.com:8443' })).toBeUndefined();
    expect(await memory.estimate({ networkId: 'office', origin: 'ssh://git@mirror.example.com:7999/proj/repo.git' })).toBeUndefined();
  });

  it('ignores transfers too small or too short to measure bandwidth', async () => {
    const memory = createThroughputMemory({ now });
    await memory.record(office, { bytes: 200 * 1024, durationMs: 2_000 }); // small: set-up, not bandwidth
    await memory.record(office, { bytes: 5 * MB, durationMs: 40 }); // too quick to time
    await memory.record(office, { bytes: 5 * MB, durationMs: 0 });
    await memory.record(office, { bytes: Number.NaN, durationMs: 1_000 });
    await memory.record({ networkId: 'office', origin: 'file:///tmp/repo' }, transfer(5 * MB, 1 * MB));
    await memory.record({ networkId: '', origin: office.origin }, transfer(5 * MB, 1 * MB));
    expect(await memory.estimate(office)).toBeUndefined();
    await memory.record(office, { bytes: 5 * MB, durationMs: 0, deliberate: true });
    expect(await memory.estimate(office)).toBeUndefined();
    await memory.record(office, { bytes: 256 * 1024, durationMs: 50 });
    expect((await memory.estimate(office))?.samples).toBe(1);
  });

  it('keeps a deliberate measurement whatever its size: it was sized to measure', async () => {
    const memory = createThroughputMemory({ now });
    // A short measurement of a thin link: 600 ms of payload at 300 KB/s.
    await memory.record(office, { bytes: 180_000, durationMs: 600, deliberate: true });
    expect(await memory.estimate(office)).toEqual({ bytesPerSecond: 300_000, samples: 1, updatedAt: clock });
  });

  it('takes a deliberate measurement as the figure, not as one more voice in the average; later transfers average with it', async () => {
    const memory = createThroughputMemory({ now });
    await memory.record(office, transfer(20 * MB, 3 * MB));
    clock += 60_000;
    // Measured again after the link changed: 2 MB at 1 MB/s.
    await memory.record(office, { bytes: 2 * MB, durationMs: 2_000, deliberate: true });
    expect(await memory.estimate(office)).toMatchObject({ bytesPerSecond: 1 * MB, samples: 2 });
    clock += 60_000;
    await memory.record(office, transfer(2 * MB, 2 * MB));
    const averaged = (await memory.estimate(office))!.bytesPerSecond;
    expect(averaged).toBeGreaterThan(1.2 * MB);
    expect(averaged).toBeLessThan(1.8 * MB);
  });

  it('weights each transfer by its size: a small fetch barely moves the figure of a big clone', async () => {
    const memory = createThroughputMemory({ now });
    await memory.record(office, transfer(200 * MB, 10 * MB));
    clock += 60_000;
    await memory.record(office, transfer(300_000, 1 * MB));
    const estimate = await memory.estimate(office);
    expect(estimate?.samples).toBe(2);
    // 32 MiB of weight against 0.3 MB: about 1% of the way from 10 towards 1 MB/s.
    expect(estimate!.bytesPerSecond).toBeGreaterThan(9.8 * MB);
    expect(estimate!.bytesPerSecond).toBeLessThan(10 * MB);
  });

  it('lets newer transfers count more: a link that changed shows within a few transfers, and at once after a day', async () => {
    const memory = createThroughputMemory({ now });
    for (let i = 0; i < 10; i += 1) {
      await memory.record(office, transfer(100 * MB, 10 * MB));
      clock += 5 * 60_000;
    }
    // Many big clones gathered weight, but it is capped: one full-sized slow one moves the figure a fifth of the way.
    await memory.record(office, transfer(100 * MB, 2 * MB));
    const afterOne = (await memory.estimate(office))!.bytesPerSecond;
    expect(afterOne).toBeCloseTo(10 * MB - 0.2 * 8 * MB, -3);
    for (let i = 0; i < 4; i += 1) await memory.record(office, transfer(100 * MB, 2 * MB));
    expect((await memory.estimate(office))!.bytesPerSecond).toBeLessThan(5 * MB);

    // Two days later the old weight is a quarter: one transfer outweighs it (4 : 1 here).
    const other = { networkId: 'office', origin: 'https://other.example.com' };
    await memory.record(other, transfer(32 * 1024 * 1024, 10 * MB));
    clock += 2 * day;
    await memory.record(other, transfer(32 * 1024 * 1024, 2 * MB));
    expect((await memory.estimate(other))!.bytesPerSecond).toBeCloseTo((0.25 * 10 * MB + 2 * MB) / 1.25, -3);
  });

  it('stops returning a figure older than its maximum age', async () => {
    const memory = createThroughputMemory({ now, maxAgeMs: 7 * day });
    await memory.record(office, transfer(10 * MB, 5 * MB));
    clock += 7 * day - 1;
    expect(await memory.estimate(office)).toBeDefined();
    clock += 1;
    expect(await memory.estimate(office)).toBeUndefined();
    // A stale figure is not averaged into a new one either.
    await memory.record(office, transfer(10 * MB, 1 * MB));
    expect(await memory.estimate(office)).toEqual({ bytesPerSecond: 1 * MB, samples: 1, updatedAt: clock });
  });

  it('does not trust a figure dated in the future (a clock that went backwards)', async () => {
    const memory = createThroughputMemory({ now });
    await memory.record(office, transfer(10 * MB, 5 * MB));
    clock -= hour;
    expect(await memory.estimate(office)).toBeUndefined();
  });

  it('keeps its figures in one file that a new instance reads, dropping what does not parse', async () => {
    const first = createThroughputMemory({ dataDir: home.path, now });
    await Promise.all([first.record(office, transfer(10 * MB, 5 * MB)), first.record({ networkId: 'hotel', origin: office.origin }, transfer(10 * MB, 1 * MB))]);
    expect(await readdir(home.path)).toEqual(['throughput.json']); // no temporary file left behind

    const file = path.join(home.path, 'throughput.json');
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.entries).toHaveLength(2);
    saved.entries.push({ networkId: 'office', origin: 'https://junk.example.com', bytesPerSecond: -1, weight: 1, samples: 1, updatedAt: clock }, 'junk', null);
    await writeFile(file, JSON.stringify(saved));

    const second = createThroughputMemory({ dataDir: home.path, now });
    expect(await second.estimate(office)).toEqual({ bytesPerSecond: 5 * MB, samples: 1, updatedAt: clock });
    expect(await second.estimate({ networkId: 'hotel', origin: office.origin })).toMatchObject({ bytesPerSecond: 1 * MB });
    expect(await second.estimate({ networkId: 'office', origin: 'https://junk.example.com' })).toBeUndefined();
    await second.record(office, transfer(10 * MB, 5 * MB));
    expect(JSON.parse(await readFile(file, 'utf8')).entries).toHaveLength(2);
  });

  it('starts empty from a file that is not JSON', async () => {
    await writeFile(path.join(home.path, 'throughput.json'), '{ half a file');
    const memory = createThroughputMemory({ dataDir: home.path, now });
    expect(await memory.estimate(office)).toBeUndefined();
    await memory.record(office, transfer(10 * MB, 5 * MB));
    expect(await memory.estimate(office)).toMatchObject({ bytesPerSecond: 5 * MB });
  });
});
