/**
 * How every transfer the helper makes (clone, fetch, top-up, local-mirror sync) turns into a
 * throughput figure, the same way for all: watch the transfer's progress, take its receiving part
 * as the sample, and record it against the server it came from, on the network it ran on.
 *
 * The sample runs from the first progress update of the receiving phase (git prints it as the
 * first object of the pack arrives; isomorphic-git as the first pack bytes do) to the last update
 * whose byte count grew (git's "…, done." line; the last pack bytes), with the bytes received by
 * then. The set-up before (connecting, the server counting and compressing) and the work after
 * (resolving deltas, checking out) are left out: they are the set-up and the local cost in the
 * expected clone time, not the link.
 *
 * Two transfers at once share this machine's link, and each would read as if its server were
 * slower than it is: a transfer that received while another one did is not recorded. This is kept
 * per process (the helper's own transfers), by the time of each one's last receiving update.
 *
 * Recording never fails a transfer: without a memory or a network identity nothing is recorded,
 * and any error on the way is swallowed. Only a transfer that succeeded is recorded: one cut off
 * or cancelled part-way may have stalled for reasons that say nothing about the server.
 */
import type { GitProgressData } from '../../../shared/contract';
import type { ThroughputMemory, ThroughputSample } from './throughput';

/** Where the figures of a feature's transfers go; features are given these, never reach for them. */
export interface ThroughputRecording {
  throughput?: ThroughputMemory;
  /** The network the machine is on now (network/network-identity.ts). */
  networkIdentity?: () => Promise<{ id: string }>;
}

/** The last receiving update of each transfer, to tell transfers that overlapped. */
export type ReceivingLedger = Map<symbol, number>;
/** This process's transfers (tests with their own clocks pass their own ledger). */
const processLedger: ReceivingLedger = new Map();
/** A transfer not heard from for this long has ended (or failed: failures are never recorded). */
const quietMs = 1_000;

export interface TransferMeasure {
  /** Give it every progress update of the transfer. */
  onProgress(progress: Pick<GitProgressData, 'phase' | 'receivedBytes'>): void;
  /** The receiving part so far; undefined before any byte count. */
  sample(): ThroughputSample | undefined;
  /** The transfer succeeded: records the sample against the server of `url`. Never throws. */
  record(): Promise<void>;
}

/**
 * `url`: the URL fetched from (any URL of the server will do: only its origin is kept). The
 * network is asked for as the transfer starts, so a move during a long transfer does not file
 * its figure under the new network.
 */
export function measureTransfer(url: string, recording: ThroughputRecording, options: { now?: () => number; ledger?: ReceivingLedger } = {}): TransferMeasure {
  const now = options.now ?? (() => performance.now());
  const receiving = options.ledger ?? processLedger;
  const network = recording.throughput && recording.networkIdentity ? recording.networkIdentity().catch(() => undefined) : undefined;
  let startedAt: number | undefined;
  let last: { bytes: number; at: number } | undefined;
  const self = Symbol(url);
  let overlapped = false;

  const sample = (): ThroughputSample | undefined =>
    startedAt === undefined || last === undefined ? undefined : { bytes: last.bytes, durationMs: last.at - startedAt };

  return {
    onProgress(progress) {
      if (progress.phase !== 'receiving') return;
      const at = now();
      startedAt ??= at;
      receiving.set(self, at);
      for (const [other, lastAt] of receiving) {
        if (other === self) continue;
        if (Math.abs(at - lastAt) < quietMs) overlapped = true;
        else receiving.delete(other);
      }
      const bytes = progress.receivedBytes;
      if (bytes !== undefined && bytes > (last?.bytes ?? -1)) last = { bytes, at };
    },
    sample,
    async record() {
      receiving.delete(self);
      const measured = sample();
      if (!measured || overlapped || !network || !recording.throughput) return;
      try {
        const identity = await network;
        if (identity) await recording.throughput.record({ networkId: identity.id, origin: url }, measured);
      } catch {
        // A figure not kept costs a measurement later, never the transfer.
      }
    },
  };
}
