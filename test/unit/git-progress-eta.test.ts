// The time left of a long transfer, on a fake clock. The captures in test/fixtures/git-output/ last
// under three seconds, so these transfers are written out line by line as git prints them
// (progress.c: a line per object, the byte count and rate refreshed about every half second,
// sizes in binary units with two decimals), with commits and trees first (many small objects)
// and then the blobs, as a server sends a pack.
import { describe, expect, it } from 'vitest';
import { GitProgressParser, type GitProgress } from '../../electron/helper/git/progress';

const MB = 1_000_000;

/** git's strbuf_humanise_bytes. */
function humanise(bytes: number): string {
  const whole = Math.floor(bytes);
  if (whole >= 1 << 30) return `${Math.floor(whole / 2 ** 30)}.${String(Math.floor(((whole % 2 ** 30) * 100) / 2 ** 30)).padStart(2, '0')} GiB`;
  if (whole >= 1 << 20) return `${Math.floor(whole / 2 ** 20)}.${String(Math.floor(((whole % 2 ** 20) * 100) / 2 ** 20)).padStart(2, '0')} MiB`;
  if (whole >= 1 << 10) return `${Math.floor(whole / 2 ** 10)}.${String(Math.floor(((whole % 2 ** 10) * 100) / 2 ** 10)).padStart(2, '0')} KiB`;
  return `${whole} bytes`;
}

interface Transfer {
  totalBytes: number;
  objects: number;
  /** Bytes per second at a moment since the transfer began (ms). */
  rateAt(ms: number): number;
}

interface Replayed {
  updates: (GitProgress & { at: number })[];
  /** When the last byte arrived (ms). */
  endAt: number;
}

/** Replays the transfer's progress lines through a parser at the moments git would print them. */
function replay(transfer: Transfer, expectedBytes?: number): Replayed {
  let clock = 0;
  const parser = new GitProgressParser({ now: () => clock, expectedBytes });
  const updates: Replayed['updates'] = [];
  const feed = (text: string) => {
    for (const update of parser.push(text)) updates.push({ ...update, at: clock });
  };
  feed('remote: Enumerating objects: 2000, done.\nremote: Counting objects: 100% (2000/2000), done.\nremote: Compressing objects: 100% (1500/1500), done.\n');
  const small = Math.round(transfer.objects * 0.4);
  const smallBytes = transfer.totalBytes * 0.005;
  const blobBytes = (transfer.totalBytes - smallBytes) / (transfer.objects - small);
  const objectsAt = (bytes: number) => (bytes < smallBytes ? Math.floor((bytes / smallBytes) * small) : Math.min(transfer.objects, small + Math.floor((bytes - smallBytes) / blobBytes)));

  const stepMs = 10;
  let received = 0;
  let shown: { bytes: number; rate: number; at: number } | undefined;
  let lastObjects = -1;
  for (let t = 0; received < transfer.totalBytes; t += stepMs) {
    clock = 1_000 + t;
    received = Math.min(transfer.totalBytes, received + (transfer.rateAt(t) * stepMs) / 1000);
    // git refreshes its byte count and rate about every half second (and not at all in the first).
    if (t >= 500 && (!shown || clock - shown.at >= 512)) shown = { bytes: received, rate: shown ? ((received - shown.bytes) * 1000) / (clock - shown.at) : (received * 1000) / t, at: clock };
    const done = objectsAt(received);
    if (done === lastObjects && shown?.at !== clock) continue;
    lastObjects = done;
    const percent = Math.floor((done * 100) / transfer.objects);
    const throughput = shown ? `, ${humanise(shown.bytes)} | ${humanise(shown.rate)}/s` : '';
    feed(`Receiving objects: ${String(percent).padStart(3)}% (${done}/${transfer.objects})${throughput}\r`);
  }
  const endAt = clock;
  feed(`Receiving objects: 100% (${transfer.objects}/${transfer.objects}), ${humanise(transfer.totalBytes)} | ${humanise(transfer.rateAt(endAt))}/s, done.\n`);
  feed('Resolving deltas: 100% (300/300), done.\n');
  return { updates, endAt };
}

/** Every update that showed a time left, with the truth at that moment. */
function shownEstimates({ updates, endAt }: Replayed) {
  return updates.filter((u) => u.etaSeconds !== undefined).map((u) => ({ at: u.at, eta: u.etaSeconds!, truth: (endAt - u.at) / 1000 }));
}

const receivingStart = 1_000;

describe('time left, 50 MB at a steady 2 MB/s', () => {
  const steady: Transfer = { totalBytes: 50 * MB, objects: 2000, rateAt: () => 2 * MB };

  it('is within 20% of the truth from the moment it appears, and appears only once steady', () => {
    const replayed = replay(steady, 50 * MB);
    const estimates = shownEstimates(replayed);
    // The transfer takes 25 s; the estimate must come early enough to be of use.
    expect(estimates.length).toBeGreaterThan(100);
    expect(estimates[0]!.at - receivingStart).toBeGreaterThanOrEqual(3_000);
    expect(estimates[0]!.at - receivingStart).toBeLessThan(8_000);
    for (const { at, eta, truth } of estimates) expect(Math.abs(eta - truth), `at ${at} ms: ${eta} s left, truly ${truth} s`).toBeLessThanOrEqual(Math.max(truth * 0.2, 1));
    // Before it appears, the receiving lines say nothing about the time left ("estimating…").
    const receiving = replayed.updates.filter((u) => u.phase === 'receiving' && u.at < estimates[0]!.at);
    expect(receiving.length).toBeGreaterThan(50);
    expect(receiving.every((u) => u.etaSeconds === undefined)).toBe(true);
  });

  it('once shown, stays shown while the link is steady (no flicker back to "estimating")', () => {
    const replayed = replay(steady, 50 * MB);
    const firstShown = replayed.updates.findIndex((u) => u.etaSeconds !== undefined);
    const rest = replayed.updates.slice(firstShown).filter((u) => u.phase === 'receiving' && !u.text.endsWith('done.'));
    expect(rest.every((u) => u.etaSeconds !== undefined)).toBe(true);
  });

  it('shows "of" the size and follows the bytes with the bar', () => {
    const { updates } = replay(steady, 50 * MB);
    const receiving = updates.filter((u) => u.phase === 'receiving' && u.receivedBytes !== undefined);
    expect(receiving.every((u) => u.expectedBytes === 50 * MB)).toBe(true);
    // Commits and trees, 40% of the objects, come with the first 0.5% of the bytes: the bar does not race ahead.
    const early = receiving.find((u) => u.objects!.done / u.objects!.total >= 0.4)!;
    expect(early.value).toBeLessThan(0.1);
    const values = updates.map((u) => u.value);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
  });

  it('works without a size, from the objects still to come, once they are blobs', () => {
    const replayed = replay(steady);
    const estimates = shownEstimates(replayed);
    expect(estimates.length).toBeGreaterThan(50);
    for (const { at, eta, truth } of estimates) expect(Math.abs(eta - truth), `at ${at} ms: ${eta} s left, truly ${truth} s`).toBeLessThanOrEqual(Math.max(truth * 0.25, 1));
  });
});

describe('time left on a link that changes speed', () => {
  it('a transfer that starts slow and speeds up shows no wildly wrong figure early', () => {
    // A slow start, doubling every 0.75 s from 0.25 MB/s to 4 MB/s, as TCP opens its window on a long link.
    const rampUp: Transfer = { totalBytes: 50 * MB, objects: 2000, rateAt: (ms) => Math.min(4 * MB, 0.25 * MB * 2 ** Math.floor(ms / 750)) };
    const estimates = shownEstimates(replay(rampUp, 50 * MB));
    expect(estimates.length).toBeGreaterThan(20);
    for (const { at, eta, truth } of estimates) expect(Math.abs(eta - truth), `at ${at} ms: ${eta} s left, truly ${truth} s`).toBeLessThanOrEqual(Math.max(truth * 0.3, 1));
  });

  it('goes back to "estimating" when the link slows down hard, rather than keep a figure it must take back', () => {
    // 4 MB/s for 6 s, then 0.5 MB/s.
    const congested: Transfer = { totalBytes: 40 * MB, objects: 2000, rateAt: (ms) => (ms < 6_000 ? 4 * MB : 0.5 * MB) };
    const replayed = replay(congested, 40 * MB);
    const afterChange = replayed.updates.filter((u) => u.phase === 'receiving' && u.at >= receivingStart + 6_000 && u.at < receivingStart + 8_000);
    expect(afterChange.some((u) => u.etaSeconds === undefined)).toBe(true);
    // It comes back once the slower rate has settled, close to the truth again.
    const late = shownEstimates(replayed).filter((e) => e.at > receivingStart + 20_000);
    expect(late.length).toBeGreaterThan(10);
    for (const { at, eta, truth } of late) expect(Math.abs(eta - truth), `at ${at} ms: ${eta} s left, truly ${truth} s`).toBeLessThanOrEqual(Math.max(truth * 0.2, 1));
  });
});

describe('an estimate that is too small', () => {
  it('says "of 45 MB" until 45 MB have arrived, then only what arrived', () => {
    const { updates } = replay({ totalBytes: 50 * MB, objects: 2000, rateAt: () => 5 * MB }, 45 * MB);
    const receiving = updates.filter((u) => u.phase === 'receiving' && u.receivedBytes !== undefined);
    for (const u of receiving) {
      if (u.receivedBytes! <= 45 * MB) expect(u.expectedBytes, u.text).toBe(45 * MB);
      else expect(u.expectedBytes, u.text).toBeUndefined();
    }
    expect(receiving.some((u) => u.receivedBytes! > 45 * MB)).toBe(true);
    const values = updates.map((u) => u.value);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe('bytes without object counts (isomorphic-git)', () => {
  it('gives the time left from the expected size alone, once steady', () => {
    let clock = 0;
    const parser = new GitProgressParser({ now: () => clock, expectedBytes: 20 * MB });
    const shown: { at: number; eta: number }[] = [];
    for (let at = 0; at <= 9_000; at += 250) {
      clock = at;
      const update = parser.apply({ title: 'Receiving objects', remote: false, bytes: 2 * MB * (at / 1000), finished: false }, 'Receiving pack');
      if (update.etaSeconds !== undefined) shown.push({ at, eta: update.etaSeconds });
    }
    expect(shown.length).toBeGreaterThan(5);
    expect(shown[0]!.at).toBeGreaterThanOrEqual(3_000);
    for (const { at, eta } of shown) expect(Math.abs(eta - (10_000 - at) / 1000)).toBeLessThanOrEqual(Math.max(0.2 * ((10_000 - at) / 1000), 1));
  });
});
