// The progress parser against real git output (test/fixtures/git-output/, see capture.ts there),
// replayed chunk by chunk on the clock it was captured with, plus the line shapes other git
// versions and servers print.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GitProgressParser, parseProgressLine, phaseOrder, type GitProgress } from '../../electron/helper/git/progress';

const read = (name: string) => readFileSync(new URL(`../fixtures/git-output/${name}`, import.meta.url));

interface Replayed {
  updates: (GitProgress & { at: number })[];
  final: GitProgress;
  text: string;
}

/** Feeds a capture to a parser in the chunks git wrote, with the clock at each chunk's arrival time. */
function replay(name: string, expectedBytes?: number): Replayed {
  const bytes = read(`${name}.txt`);
  const timing = JSON.parse(read(`${name}.timing.json`).toString()) as [number, number][];
  let clock = 0;
  const parser = new GitProgressParser({ now: () => clock, expectedBytes });
  const updates: Replayed['updates'] = [];
  let offset = 0;
  for (const [end, at] of timing) {
    clock = at;
    for (const update of parser.push(bytes.subarray(offset, end).toString('utf8'))) updates.push({ ...update, at });
    offset = end;
  }
  return { updates, final: parser.finish(), text: bytes.toString('utf8') };
}

function phasesSeen(updates: GitProgress[]): string[] {
  return [...new Set(updates.map((u) => u.phase))];
}

/** The byte count git printed on its last "Receiving objects" line, read straight from the capture. */
function lastReceivedBytes(text: string): number {
  const matches = [...text.matchAll(/Receiving objects: [^\r\n]*?, ([\d.]+) (KiB|MiB)/g)];
  const [, value, unit] = matches.at(-1)!;
  return Number(value) * (unit === 'MiB' ? 1024 * 1024 : 1024);
}

describe.each([
  ['clone-checkout', ['connecting', 'counting', 'compressing', 'receiving', 'resolving', 'checking-out']],
  ['clone-bare', ['connecting', 'counting', 'compressing', 'receiving', 'resolving']],
  ['clone-deltas', ['connecting', 'counting', 'compressing', 'receiving', 'resolving', 'checking-out']],
  ['fetch', ['counting', 'compressing', 'receiving', 'resolving']],
])('%s', (name, expectedPhases) => {
  const { updates, final, text } = replay(name);

  it('goes through the phases in order', () => {
    expect(phasesSeen(updates)).toEqual(expectedPhases);
    const indices = updates.map((u) => phaseOrder.indexOf(u.phase));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('has one overall value that only grows, from near 0 to 1', () => {
    const values = updates.map((u) => u.value);
    expect(values[0]).toBeLessThan(0.06);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    for (const u of updates) {
      expect(u.value).toBeGreaterThanOrEqual(0);
      expect(u.value).toBeLessThanOrEqual(1);
      expect(u.phaseValue).toBeGreaterThanOrEqual(0);
      expect(u.phaseValue).toBeLessThanOrEqual(1);
    }
    expect(final).toMatchObject({ phase: 'done', value: 1, phaseValue: 1 });
    expect(final.etaSeconds).toBeUndefined();
    // 100% belongs to the end of the command: git can still fail after its last line.
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('stays under a few percent until bytes arrive, with or without the size known', () => {
    const firstBytes = updates.findIndex((u) => u.receivedBytes !== undefined);
    expect(firstBytes).toBeGreaterThan(0);
    for (const u of updates.slice(0, firstBytes)) expect(u.value, u.text).toBeLessThan(0.03);
    const sized = replay(name, lastReceivedBytes(text));
    const firstSized = sized.updates.findIndex((u) => u.receivedBytes !== undefined);
    for (const u of sized.updates.slice(0, firstSized)) expect(u.value, u.text).toBeLessThan(0.03);
    const values = sized.updates.map((u) => u.value);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    // With the size known the bar follows the bytes: the first byte count moves it by its share of the size.
    const first = sized.updates[firstSized]!;
    expect(first.value).toBeCloseTo(0.02 + 0.9 * (first.receivedBytes! / lastReceivedBytes(text)), 5);
  });

  it("reads the bytes received and git's own rate", () => {
    const receiving = updates.filter((u) => u.phase === 'receiving');
    expect(receiving.length).toBeGreaterThan(10);
    expect(final.receivedBytes).toBeCloseTo(lastReceivedBytes(text), -1);
    const rated = receiving.filter((u) => u.bytesPerSecond !== undefined);
    expect(rated.length).toBeGreaterThan(0);
    for (const u of rated) {
      const printed = /\| ([\d.]+) (KiB|MiB)\/s/.exec(u.text);
      if (printed) expect(u.bytesPerSecond).toBeCloseTo(Number(printed[1]) * (printed[2] === 'MiB' ? 1024 * 1024 : 1024), -1);
    }
  });

  it('keeps the text of the last line, padding removed', () => {
    for (const u of updates) expect(u.text).toBe(u.text.trim());
    expect(updates.some((u) => u.text.startsWith('remote: Counting objects: 100%'))).toBe(true);
  });
});

describe('time left on a short transfer', () => {
  it('stays "estimating" for a transfer too short to settle, and is never negative', () => {
    // clone-checkout came through a 1.5 MB/s link: 3.8 MiB in about 2.6 s, less than the settling time.
    const { updates } = replay('clone-checkout');
    const receiving = updates.filter((u) => u.phase === 'receiving');
    expect(receiving.length).toBeGreaterThan(10);
    expect(receiving.filter((u) => u.etaSeconds !== undefined)).toEqual([]);
    expect(updates.every((u) => u.phase === 'receiving' || u.etaSeconds === undefined)).toBe(true);
  });
});

describe('chunking', () => {
  it('gives the same updates whatever the chunk boundaries (partial lines are kept for later)', () => {
    const text = read('clone-deltas.txt').toString('utf8');
    const feed = (sizes: () => number) => {
      const parser = new GitProgressParser({ now: () => 0 });
      const out: string[] = [];
      for (let i = 0; i < text.length; ) {
        const size = sizes();
        for (const u of parser.push(text.slice(i, i + size))) out.push(`${u.phase} ${u.value.toFixed(6)} ${u.text}`);
        i += size;
      }
      return out;
    };
    const whole = feed(() => text.length);
    expect(feed(() => 1)).toEqual(whole);
    let seed = 7;
    expect(feed(() => 1 + ((seed = (seed * 48271) % 2147483647) % 97))).toEqual(whole);
  });
});

describe('parseProgressLine', () => {
  it.each([
    ['Receiving objects:  45% (450/1000), 12.00 MiB | 3.10 MiB/s', { title: 'Receiving objects', done: 450, total: 1000, bytes: 12 * 1024 ** 2, bytesPerSecond: Math.round(3.1 * 1024 ** 2), finished: false }],
    ['Receiving objects: 100% (9/9), 812 bytes | 812.00 KiB/s, done.', { done: 9, total: 9, bytes: 812, bytesPerSecond: 812 * 1024, finished: true }],
    ['Receiving objects:  10% (1/10), 1 byte | 1 byte/s', { bytes: 1, bytesPerSecond: 1 }],
    ['Receiving objects:  99% (9999/10000), 1.50 GiB | 10.00 MiB/s', { bytes: Math.round(1.5 * 1024 ** 3) }],
    ['remote: Counting objects:  50% (1/2)        \u001b[K', { title: 'Counting objects', remote: true, done: 1, total: 2 }],
    ['remote: Enumerating objects: 76, done.        ', { title: 'Enumerating objects', count: 76, finished: true }],
    ['Resolving deltas: 100% (118/118), completed with 1 local object.', { title: 'Resolving deltas', finished: true }],
    ['Unpacking objects: 100% (3/3), 1.21 KiB | 620.00 KiB/s, done.', { title: 'Unpacking objects', bytes: 1239, finished: true }],
  ])('%j', (line, expected) => {
    expect(parseProgressLine(line)).toMatchObject(expected);
  });

  it.each(["Cloning into 'x'...", 'From http://host/scm/p/r', '   1ff303a..481cf62  main       -> origin/main', 'remote: Total 76 (delta 13), reused 76 (delta 13), pack-reused 0', 'fatal: early EOF', ''])(
    'is not progress: %j',
    (line) => {
      expect(parseProgressLine(line)).toBeUndefined();
    },
  );
});

describe('GitProgressParser details', () => {
  it('jumps over phases git skips and ignores an earlier phase after a later one', () => {
    const parser = new GitProgressParser();
    const [receiving] = parser.push('Receiving objects:  50% (5/10), 1.00 MiB | 1.00 MiB/s\r');
    expect(receiving).toMatchObject({ phase: 'receiving', phaseValue: 0.5 });
    expect(receiving!.value).toBeCloseTo(0.01 + 0.01 + 0.9 * 0.5);
    // e.g. an automatic gc after a fetch counts objects locally: not a step back.
    const [gc] = parser.push('Counting objects: 100% (30/30), done.\n');
    expect(gc).toMatchObject({ phase: 'receiving', value: receiving!.value, text: 'Counting objects: 100% (30/30), done.' });
  });

  it('never moves back within a phase (a second pack starting at 0%)', () => {
    const parser = new GitProgressParser();
    parser.push('Receiving objects: 100% (10/10), done.\n');
    const [second] = parser.push('Receiving objects:  10% (1/10)\r');
    expect(second!.phaseValue).toBe(1);
  });

  it('measures the rate from the bytes over time when git prints none', () => {
    let clock = 0;
    const parser = new GitProgressParser({ now: () => clock });
    parser.push('Receiving objects:  10% (1/10), 1.00 MiB\r');
    clock = 1000;
    const [update] = parser.push('Receiving objects:  30% (3/10), 3.00 MiB\r');
    expect(update!.bytesPerSecond).toBeCloseTo(2 * 1024 * 1024, -1);
  });

  it('says "of" the expected size until the bytes pass it, then drops it', () => {
    const parser = new GitProgressParser({ now: () => 0, expectedBytes: 2_000_000 });
    const [before] = parser.push('Receiving objects:  50% (5/10), 1.00 MiB | 1.00 MiB/s\r');
    expect(before).toMatchObject({ receivedBytes: 1024 * 1024, expectedBytes: 2_000_000 });
    // Bytes against the size, not objects: 1 MiB of 2 MB is 52% of the download.
    expect(before!.phaseValue).toBeCloseTo((1024 * 1024) / 2_000_000);
    const [past] = parser.push('Receiving objects:  90% (9/10), 2.00 MiB | 1.00 MiB/s\r');
    expect(past!.receivedBytes).toBe(2 * 1024 * 1024);
    expect(past!.expectedBytes).toBeUndefined();
    // Past the estimate, git's exact object count takes over, and the bar does not step back.
    expect(past!.phaseValue).toBe(0.9);
    const [later] = parser.push('Receiving objects:  95% (19/20), 2.10 MiB | 1.00 MiB/s\r');
    expect(later!.expectedBytes).toBeUndefined();
  });

  it('ignores a size that is not a size', () => {
    for (const expectedBytes of [0, -5, Number.NaN, null]) {
      const parser = new GitProgressParser({ now: () => 0, expectedBytes });
      const [update] = parser.push('Receiving objects:  50% (5/10), 1.00 MiB | 1.00 MiB/s\r');
      expect(update!.expectedBytes).toBeUndefined();
      expect(update!.phaseValue).toBe(0.5);
    }
  });

  it('drops an endless line instead of buffering it forever', () => {
    const parser = new GitProgressParser();
    parser.push('x'.repeat(20_000));
    expect(parser.push('\nReceiving objects:  50% (5/10)\r').map((u) => u.text)).toEqual(['Receiving objects:  50% (5/10)']);
  });
});

describe('parser overhead', () => {
  it('parses a captured clone fast enough to be negligible next to git', () => {
    const text = read('clone-deltas.txt').toString('utf8');
    const lines = text.split(/[\r\n]/).length;
    const rounds = 200;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) new GitProgressParser().push(text);
    const microsPerLine = ((performance.now() - started) * 1000) / (rounds * lines);
    console.info(`[git-progress] ${microsPerLine.toFixed(2)} µs per line (${lines} lines x ${rounds})`);
    // Generous for a shared, noisy machine; measured around 1-3 µs.
    expect(microsPerLine).toBeLessThan(100);
  });
});
