/**
 * Git's progress output as data: a phase, one overall value that only ever grows from 0 to 1, the
 * value within the phase, the last line, and for the transfer its bytes, the expected size, the
 * rate and the time left.
 *
 * Weights (share of the overall bar) follow the share of wall time each phase takes in the clone
 * this app exists for: a big repository from a mirror over a real link. Measured with
 * test/bench/progress-phases.ts (a generated 50 MB repository, 40 commits, from a mirror 40 ms
 * away capped at 5 MB/s; plain git, three runs, 10.1-10.3 s each from the first progress line):
 *   counting 0.0%, compressing 0.1-0.3%, receiving 97.5-99.0%, resolving 0.7-0.8%,
 *   checking out 0.2-1.4%.
 * A history rich in deltas on a fast link shifts time to resolving (the clone-deltas capture:
 * 6 ms receiving, 176 ms resolving and checking on loopback), so resolving keeps a visible share:
 *   connecting 0     nothing to measure; the bar starts when the server starts talking.
 *   counting   0.01  server-side walk ("Enumerating"/"Counting objects"); quick with bitmaps.
 *   compressing 0.01 server-side delta search; mostly reused deltas on a served repository.
 *   receiving  0.90  the download.
 *   resolving  0.06  index-pack resolving deltas, then the connectivity check.
 *   checking-out 0.02 writing the work tree.
 * A phase git skips (a bare clone has no checkout; a fetch of a few objects prints no receiving
 * lines) is jumped over: the value moves to the start of the next phase that shows up.
 *
 * Within receiving, the bar follows the bytes when the size is known (the primary's estimate of
 * its packs, `expectedBytes`): servers send commits and trees first, so the object count races to
 * 40% while hardly a byte has arrived. Once the bytes pass the estimate (it is approximate), the
 * estimate is dropped and git's own object count, which is exact, takes over. Without a size the
 * object count is all there is, and it counts only once git has printed a byte count, so the bar
 * does not jump before bytes arrive.
 *
 * Time left, only while receiving: remaining bytes over a smoothed rate (progress-eta.ts), shown
 * only once it holds steady. The remaining bytes are the expected size less the bytes so far;
 * without a size (or past it), the bytes so far scaled by the objects still to come.
 */
import { cleanLine, parseProgressLine, type ProgressLine } from './progress-line';
import { RateEstimator } from './progress-rate';
import { EtaEstimator, type EtaOptions } from './progress-eta';

export { parseProgressLine, type ProgressLine } from './progress-line';
export { throttleProgress, type ThrottleOptions, type ThrottledProgressListener } from './progress-throttle';

export type GitProgressPhase = 'connecting' | 'counting' | 'compressing' | 'receiving' | 'resolving' | 'checking-out' | 'done';

export interface GitProgress {
  phase: GitProgressPhase;
  /** 0..1 over the whole operation; never decreases. */
  value: number;
  /** 0..1 within the phase. */
  phaseValue: number;
  /** The last line git printed, e.g. 'Receiving objects:  45% (450/1000), 12.00 MiB | 3.10 MiB/s'. */
  text: string;
  receivedBytes?: number;
  /** The size the transfer is expected to reach; absent when unknown or once the bytes passed it. */
  expectedBytes?: number;
  /** While receiving. */
  bytesPerSecond?: number;
  /** Seconds left while receiving, only while the estimate holds steady (otherwise absent: "estimating…"). */
  etaSeconds?: number;
  /** The counts of the line that set this progress, e.g. objects received so far. */
  objects?: { done: number; total: number };
}

type WorkPhase = Exclude<GitProgressPhase, 'done'>;

export const phaseOrder: readonly GitProgressPhase[] = ['connecting', 'counting', 'compressing', 'receiving', 'resolving', 'checking-out', 'done'];

export const phaseWeights: Readonly<Record<WorkPhase, number>> = {
  connecting: 0,
  counting: 0.01,
  compressing: 0.01,
  receiving: 0.9,
  resolving: 0.06,
  'checking-out': 0.02,
};

/** Where each kind of progress line sits: its phase and the part of that phase it covers. */
const stages: Readonly<Record<string, { phase: WorkPhase; from: number; to: number }>> = {
  'Enumerating objects': { phase: 'counting', from: 0, to: 0 },
  'Counting objects': { phase: 'counting', from: 0, to: 1 },
  'Compressing objects': { phase: 'compressing', from: 0, to: 1 },
  'Receiving objects': { phase: 'receiving', from: 0, to: 1 },
  'Unpacking objects': { phase: 'receiving', from: 0, to: 1 },
  'Resolving deltas': { phase: 'resolving', from: 0, to: 0.8 },
  'Checking objects': { phase: 'resolving', from: 0.8, to: 1 },
  'Checking connectivity': { phase: 'resolving', from: 0.8, to: 1 },
  'Updating files': { phase: 'checking-out', from: 0, to: 1 },
  'Checking out files': { phase: 'checking-out', from: 0, to: 1 },
  'Filtering content': { phase: 'checking-out', from: 0, to: 1 },
};

function phaseStart(phase: GitProgressPhase): number {
  let start = 0;
  for (const earlier of phaseOrder) {
    if (earlier === phase || earlier === 'done') break;
    start += phaseWeights[earlier];
  }
  return start;
}

export interface GitProgressParserOptions {
  /** Milliseconds; default performance.now. Used for the rate and the time left. */
  now?: () => number;
  /**
   * The size the transfer is expected to reach (the server's estimate), when known; a promise
   * when it becomes known only after the transfer started (a clone's head start), taken up then
   * unless the bytes have already passed it.
   */
  expectedBytes?: number | null | Promise<number | null>;
  eta?: EtaOptions;
}

const maxBeforeDone = 0.99;
/** Without a size, the bytes per object still to come are judged from this much recent transfer. */
const recentObjectsMs = 4_000;

// A line longer than this without a line end is not progress; drop it rather than grow forever.
const maxPendingChars = 8 * 1024;

export class GitProgressParser {
  private pending = '';
  private state: GitProgress = { phase: 'connecting', value: 0, phaseValue: 0, text: '' };
  private readonly rates = new RateEstimator();
  private readonly eta: EtaEstimator;
  /** Byte counts with the object count printed on the same line, and when they came; the last is the newest. */
  private samples: { bytes: number; objects: number; at: number }[] = [];
  private readonly now: () => number;
  private expectedBytes: number | undefined;

  constructor(options: GitProgressParserOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.eta = new EtaEstimator(options.eta);
    const usable = (bytes: number | null | undefined): bytes is number => typeof bytes === 'number' && Number.isFinite(bytes) && bytes > 0;
    const expected = options.expectedBytes;
    if (expected instanceof Promise) {
      expected.then(
        (bytes) => {
          if (usable(bytes) && (this.state.receivedBytes ?? 0) < bytes && this.state.phase !== 'done') this.expectedBytes = bytes;
        },
        () => {},
      );
    } else if (usable(expected)) this.expectedBytes = expected;
  }

  get current(): GitProgress {
    return this.state;
  }

  /** Feeds raw stderr; returns one update per complete line (lines end in '\r' or '\n'). */
  push(chunk: string): GitProgress[] {
    const parts = (this.pending + chunk).split(/[\r\n]/);
    this.pending = parts.pop()!;
    if (this.pending.length > maxPendingChars) this.pending = '';
    const updates: GitProgress[] = [];
    for (const raw of parts) {
      const text = cleanLine(raw);
      if (!text) continue;
      const line = parseProgressLine(text);
      updates.push(line ? this.apply(line, text) : this.setText(text));
    }
    return updates;
  }

  /** The operation succeeded: phase 'done', value 1. */
  finish(): GitProgress {
    const { receivedBytes } = this.state;
    this.state = { phase: 'done', value: 1, phaseValue: 1, text: this.state.text, ...(receivedBytes === undefined ? {} : { receivedBytes }) };
    return this.state;
  }

  /**
   * Applies one parsed line (engines that report structured progress, like isomorphic-git, call
   * this directly with git's titles). Lines of a phase already left only change the text.
   */
  apply(line: ProgressLine, text: string): GitProgress {
    const stage = stages[line.title];
    const previous = this.state;
    if (!stage || phaseOrder.indexOf(stage.phase) < phaseOrder.indexOf(previous.phase) || previous.phase === 'done') {
      return this.setText(text);
    }
    const samePhase = stage.phase === previous.phase;
    const next: GitProgress = { phase: stage.phase, value: 0, phaseValue: 0, text };
    if (previous.receivedBytes !== undefined) next.receivedBytes = previous.receivedBytes;
    if (line.total !== undefined) next.objects = { done: line.done ?? 0, total: line.total };
    if (stage.phase === 'receiving') this.addTransfer(next, line, samePhase ? previous : undefined);

    const ratio = stage.phase === 'receiving' ? this.receivedShare(next, line) : line.finished ? 1 : line.total ? Math.min(1, (line.done ?? 0) / line.total) : undefined;
    const within = ratio === undefined ? stage.from : stage.from + (stage.to - stage.from) * ratio;
    next.phaseValue = samePhase ? Math.max(previous.phaseValue, within) : within;
    // 100% belongs to the end of the command (finish()): git may still fail after its last line.
    next.value = Math.min(maxBeforeDone, Math.max(previous.value, phaseStart(stage.phase) + phaseWeights[stage.phase] * next.phaseValue));
    this.state = next;
    return next;
  }

  private setText(text: string): GitProgress {
    this.state = { ...this.state, text };
    return this.state;
  }

  /** How far the download is, 0..1: by bytes against the expected size, else by git's object count once bytes show. */
  private receivedShare(next: GitProgress, line: ProgressLine): number {
    if (line.finished) return 1;
    const received = next.receivedBytes;
    if (received === undefined) return 0;
    if (next.expectedBytes !== undefined) return Math.min(1, received / next.expectedBytes);
    return next.objects && next.objects.total > 0 ? Math.min(1, next.objects.done / next.objects.total) : 0;
  }

  private addTransfer(next: GitProgress, line: ProgressLine, previous: GitProgress | undefined): void {
    const objects = next.objects;
    const at = this.now();
    if (line.bytes !== undefined) {
      next.receivedBytes = line.bytes;
      this.rates.add(line.bytes, at);
      // Git updates the byte count about twice a second but the object count with every object:
      // keep the pair as it was measured together, or the bytes per object come out too low. A
      // count repeated on the next lines is the same measurement, not a stall.
      // (isomorphic-git reports bytes without objects: its time left comes from the size alone.)
      if (line.bytes !== this.samples.at(-1)?.bytes) {
        this.eta.addBytes(line.bytes, at);
        this.samples.push({ bytes: line.bytes, objects: objects?.done ?? 0, at });
        while (this.samples.length > 2 && this.samples[1]!.at <= at - recentObjectsMs) this.samples.shift();
      }
    }
    // The expected size is an estimate: once passed, it says nothing more ("60 MB", not "60 MB of 50 MB").
    if (this.expectedBytes !== undefined && (next.receivedBytes ?? 0) > this.expectedBytes) this.expectedBytes = undefined;
    if (this.expectedBytes !== undefined) next.expectedBytes = this.expectedBytes;
    const rate = line.bytesPerSecond ?? (line.bytes !== undefined ? this.rates.rate() : previous?.bytesPerSecond);
    if (rate !== undefined) next.bytesPerSecond = rate;
    if (line.finished) return;
    const eta = this.eta.secondsLeft(this.remainingBytes(next), this.samples.at(-1)?.at ?? at, at);
    if (eta !== undefined) next.etaSeconds = eta;
  }

  /**
   * Bytes still to come as of the last byte count: the expected size less what came, else the
   * objects still to come times the bytes per object of the last few seconds (not of the whole
   * transfer so far, which counts the many small commits and trees sent first).
   */
  private remainingBytes(next: GitProgress): number | undefined {
    const newest = this.samples.at(-1);
    if (!newest) return undefined;
    if (this.expectedBytes !== undefined) return this.expectedBytes - newest.bytes;
    const oldest = this.samples[0]!;
    const objects = next.objects;
    if (!objects || objects.total < newest.objects || newest.objects <= oldest.objects) return undefined;
    return ((objects.total - newest.objects) * (newest.bytes - oldest.bytes)) / (newest.objects - oldest.objects);
  }
}

/** Feeds raw stderr chunks to a parser and calls `listener` with each update; `finish` emits 'done'. */
export function progressReader(listener: (progress: GitProgress) => void, options: GitProgressParserOptions = {}) {
  const parser = new GitProgressParser(options);
  return {
    onStderr: (chunk: string) => {
      for (const update of parser.push(chunk)) listener(update);
    },
    finish: () => listener(parser.finish()),
    parser,
  };
}
