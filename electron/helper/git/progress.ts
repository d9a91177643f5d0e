/**
 * Git's progress output as data: a phase, one overall value that only ever grows from 0 to 1, the
 * value within the phase, the last line, and for the transfer its bytes, rate and ETA.
 *
 * Weights (share of the overall bar):
 *   connecting 0     nothing to measure; the bar starts when the server starts talking.
 *   counting   0.05  server-side walk ("Enumerating"/"Counting objects"); quick with bitmaps, which
 *                    Bitbucket keeps, seconds on a cold server without them.
 *   compressing 0.10 server-side delta search; mostly reused deltas on a served repository.
 *   receiving  0.60  the download. It dominates the wall time of a clone from a distant mirror,
 *                    which is the case this app exists for, so most of the bar follows the bytes.
 *   resolving  0.15  index-pack resolving deltas, then the connectivity check: CPU-bound on the
 *                    client, a real share (10-20%) of a clone of a large source history on a fast link.
 *   checking-out 0.10 writing the work tree; proportional to the size of the tree, not the history.
 * A phase git skips (a bare clone has no checkout; a fetch of a few objects prints no receiving
 * lines) is jumped over: the value moves to the start of the next phase that shows up.
 *
 * ETA, only while receiving: git tells the objects received (done/total) and the bytes so far, but
 * not the pack size. We assume the objects still to come are as large on average as those so far:
 *   estimated total bytes = bytes * total / done, with bytes and done taken from the same line
 *   (git refreshes the bytes only about twice a second), and
 *   ETA = (estimated total - bytes) / rate - the time since that line.
 * Servers send commits and trees before blobs, so early on this underestimates; it settles as
 * blobs arrive. The rate is git's own "| 3.10 MiB/s" when printed, else measured from the bytes
 * over an injectable clock (progress-rate.ts).
 */
import { cleanLine, parseProgressLine, type ProgressLine } from './progress-line';
import { RateEstimator } from './progress-rate';

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
  /** While receiving. */
  bytesPerSecond?: number;
  /** While receiving, when it can be estimated. */
  etaSeconds?: number;
  /** The counts of the line that set this progress, e.g. objects received so far. */
  objects?: { done: number; total: number };
}

type WorkPhase = Exclude<GitProgressPhase, 'done'>;

export const phaseOrder: readonly GitProgressPhase[] = ['connecting', 'counting', 'compressing', 'receiving', 'resolving', 'checking-out', 'done'];

export const phaseWeights: Readonly<Record<WorkPhase, number>> = {
  connecting: 0,
  counting: 0.05,
  compressing: 0.1,
  receiving: 0.6,
  resolving: 0.15,
  'checking-out': 0.1,
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
  /** Milliseconds; default performance.now. Used for the rate when git prints none. */
  now?: () => number;
}

// A line longer than this without a line end is not progress; drop it rather than grow forever.
const maxPendingChars = 8 * 1024;

export class GitProgressParser {
  private pending = '';
  private state: GitProgress = { phase: 'connecting', value: 0, phaseValue: 0, text: '' };
  private readonly rates = new RateEstimator();
  /** The last byte count with the object count printed on the same line, and when it came. */
  private sample: { bytes: number; objects: number; at: number } | undefined;
  private readonly now: () => number;

  constructor(options: GitProgressParserOptions = {}) {
    this.now = options.now ?? (() => performance.now());
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
    this.state = { phase: 'done', value: 1, phaseValue: 1, text: this.state.text, etaSeconds: 0, ...(receivedBytes === undefined ? {} : { receivedBytes }) };
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
    const ratio = line.finished ? 1 : line.total ? Math.min(1, (line.done ?? 0) / line.total) : undefined;
    const within = ratio === undefined ? stage.from : stage.from + (stage.to - stage.from) * ratio;
    const phaseValue = samePhase ? Math.max(previous.phaseValue, within) : within;
    const value = Math.max(previous.value, phaseStart(stage.phase) + phaseWeights[stage.phase] * phaseValue);

    const next: GitProgress = { phase: stage.phase, value: Math.min(1, value), phaseValue, text };
    if (previous.receivedBytes !== undefined) next.receivedBytes = previous.receivedBytes;
    if (line.total !== undefined) next.objects = { done: line.done ?? 0, total: line.total };
    if (stage.phase === 'receiving') this.addTransfer(next, line, samePhase ? previous : undefined);
    this.state = next;
    return next;
  }

  private setText(text: string): GitProgress {
    this.state = { ...this.state, text };
    return this.state;
  }

  private addTransfer(next: GitProgress, line: ProgressLine, previous: GitProgress | undefined): void {
    const objects = next.objects;
    if (line.bytes !== undefined) {
      next.receivedBytes = line.bytes;
      const at = this.now();
      this.rates.add(line.bytes, at);
      // Git updates the byte count about twice a second but the object count with every object:
      // keep the pair as it was measured together, or the bytes per object come out too low.
      if (line.bytes !== this.sample?.bytes && objects) this.sample = { bytes: line.bytes, objects: objects.done, at };
    }
    const rate = line.bytesPerSecond ?? (line.bytes !== undefined ? this.rates.rate() : previous?.bytesPerSecond);
    if (rate !== undefined) next.bytesPerSecond = rate;
    const sample = this.sample;
    if (objects && objects.done >= objects.total && line.finished) next.etaSeconds = 0;
    else if (rate && sample && sample.objects > 0 && objects && objects.total >= sample.objects) {
      const estimatedTotal = (sample.bytes * objects.total) / sample.objects;
      const sinceSample = (this.now() - sample.at) / 1000;
      next.etaSeconds = Math.max(0, (estimatedTotal - sample.bytes) / rate - sinceSample);
    }
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
