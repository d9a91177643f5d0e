// A transfer's progress turned into one throughput sample (its receiving part), recorded against
// the server fetched from on the network the transfer started on, and never failing the transfer.
import { describe, expect, it } from 'vitest';
import { measureTransfer } from '../../electron/helper/transfer/measure-transfer';
import { createThroughputMemory } from '../../electron/helper/transfer/throughput-memory';
import type { ThroughputMemory } from '../../electron/helper/transfer/throughput';

const MB = 1_000_000;

/** Feeds `steps` ([ms, phase, bytes?]) to a measure on a fake clock. */
function feed(measure: ReturnType<typeof measureTransfer>, clock: { at: number }, steps: [number, string, number?][]) {
  for (const [at, phase, receivedBytes] of steps) {
    clock.at = at;
    measure.onProgress({ phase: phase as 'receiving', ...(receivedBytes === undefined ? {} : { receivedBytes }) });
  }
}

/** A native clone as git reports it: set-up, then bytes every half second, then resolving and checkout. */
const nativeClone: [number, string, number?][] = [
  [0, 'connecting'],
  [150, 'counting'],
  [300, 'compressing'],
  [400, 'receiving'], // "Receiving objects: 0% (1/900)": the pack has started to arrive
  [900, 'receiving', 1 * MB],
  [1_400, 'receiving', 2 * MB],
  [1_400, 'receiving', 2 * MB], // the object count moved, the byte count did not
  [2_400, 'receiving', 4 * MB], // "…, done."
  [2_500, 'resolving', 4 * MB],
  [4_000, 'checking-out', 4 * MB],
  [5_000, 'done', 4 * MB],
];

describe('measuring a transfer', () => {
  it('takes the receiving part: from its first update to the last byte count that grew', () => {
    const clock = { at: 0 };
    const measure = measureTransfer('https://mirror.example.com/scm/p/r.git', {}, { now: () => clock.at, ledger: new Map() });
    expect(measure.sample()).toBeUndefined();
    feed(measure, clock, nativeClone);
    expect(measure.sample()).toEqual({ bytes: 4 * MB, durationMs: 2_000 });
  });

  it('leaves out isomorphic-git indexing the pack after the download (receiving, no new bytes)', () => {
    const clock = { at: 0 };
    const measure = measureTransfer('https://mirror.example.com/scm/p/r.git', {}, { now: () => clock.at, ledger: new Map() });
    feed(measure, clock, [
      [0, 'counting'],
      [200, 'receiving', 64 * 1024],
      [1_200, 'receiving', 3 * MB],
      [1_700, 'receiving', 3 * MB], // "Indexing objects: 40%"
      [3_000, 'receiving', 3 * MB],
      [3_500, 'resolving', 3 * MB],
    ]);
    expect(measure.sample()).toEqual({ bytes: 3 * MB, durationMs: 1_000 });
  });

  it('has nothing to say of a transfer that never received', () => {
    const clock = { at: 0 };
    const measure = measureTransfer('https://mirror.example.com/scm/p/r.git', {}, { now: () => clock.at, ledger: new Map() });
    feed(measure, clock, [[0, 'connecting'], [100, 'receiving'], [200, 'done']]);
    expect(measure.sample()).toBeUndefined();
  });

  it('records against the server fetched from, on the network the transfer started on', async () => {
    const clock = { at: 0 };
    const throughput = createThroughputMemory();
    let network = 'office';
    const measure = measureTransfer('https://mirror.example.com:8443/scm/p/r.git', { throughput, networkIdentity: async () => ({ id: network }) }, { now: () => clock.at, ledger: new Map() });
    feed(measure, clock, nativeClone.slice(0, 5));
    network = 'hotel'; // moved during the transfer
    feed(measure, clock, nativeClone.slice(5));
    await measure.record();
    expect(await throughput.estimate({ networkId: 'office', origin: 'https://mirror.example.com:8443' })).toMatchObject({ bytesPerSecond: 2 * MB, samples: 1 });
    expect(await throughput.estimate({ networkId: 'hotel', origin: 'https://mirror.example.com:8443' })).toBeUndefined();
  });

  it('never fails the transfer: a memory or a network identity that throws is passed over', async () => {
    const clock = { at: 0 };
    const broken: ThroughputMemory = {
      record: async () => {
        throw new Error('disk full');
      },
      estimate: async () => undefined,
    };
    const failing = measureTransfer('https://m.example.com/r.git', { throughput: broken, networkIdentity: async () => ({ id: 'office' }) }, { now: () => clock.at, ledger: new Map() });
    feed(failing, clock, nativeClone);
    await expect(failing.record()).resolves.toBeUndefined();

    const throughput = createThroughputMemory();
    const lost = measureTransfer('https://m.example.com/r.git', { throughput, networkIdentity: () => Promise.reject(new Error('no interfaces')) }, { now: () => clock.at, ledger: new Map() });
    feed(lost, clock, nativeClone);
    await expect(lost.record()).resolves.toBeUndefined();

    const unwired = measureTransfer('https://m.example.com/r.git', {}, { now: () => clock.at, ledger: new Map() });
    feed(unwired, clock, nativeClone);
    await expect(unwired.record()).resolves.toBeUndefined();
  });

  it('records nothing for transfers that received at the same time: they shared the link, so each reads low', async () => {
    const clock = { at: 0 };
    const throughput = createThroughputMemory();
    const ledger = new Map();
    const recording = { throughput, networkIdentity: async () => ({ id: 'office' }) };
    const first = measureTransfer('https://near.example.com/scm/p/a.git', recording, { now: () => clock.at, ledger });
    const second = measureTransfer('https://near.example.com/scm/p/b.git', recording, { now: () => clock.at, ledger });
    feed(first, clock, nativeClone.slice(0, 5));
    feed(second, clock, nativeClone.slice(0, 5));
    feed(first, clock, nativeClone.slice(5));
    await first.record();
    expect(await throughput.estimate({ networkId: 'office', origin: 'https://near.example.com' })).toBeUndefined();
    // One alone, later, is recorded.
    clock.at += 5_000;
    const alone = measureTransfer('https://near.example.com/scm/p/c.git', recording, { now: () => clock.at, ledger });
    feed(alone, clock, nativeClone);
    await alone.record();
    expect(await throughput.estimate({ networkId: 'office', origin: 'https://near.example.com' })).toMatchObject({ samples: 1 });
  });
});
