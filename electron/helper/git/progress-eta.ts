/**
 * The time left of a transfer, said only when it can be trusted.
 *
 * The rate is an exponentially weighted moving average of the bytes over time (not per progress
 * line: git prints a line per object but refreshes its byte count about twice a second), with a
 * time constant of a few seconds, so a burst from the TCP window or one slow second does not
 * swing the estimate. Each estimate is turned into the moment the transfer would end; the time
 * left is shown only once the transfer has run for a while and the recent estimates of that
 * moment agree with each other. A link that changes speed makes them disagree, and the estimate
 * goes back to "estimating…" until it settles again, rather than showing a figure it will soon
 * take back.
 */

export interface EtaOptions {
  /** Time constant of the rate average. */
  smoothingMs?: number;
  /** The rate is sampled over at least this span, so one refresh of git's byte count is never a sample alone. */
  minSampleMs?: number;
  /** No estimate is shown before the transfer has run this long (TCP slow start, a server warming up). */
  settleMs?: number;
  /** The estimates of the end made within this window must agree... */
  agreementWindowMs?: number;
  /** ...to within this share of the time left (or agreementFloorMs, whichever is larger). */
  agreementMargin?: number;
  agreementFloorMs?: number;
}

const defaults: Required<EtaOptions> = {
  smoothingMs: 2_500,
  minSampleMs: 450,
  settleMs: 3_000,
  agreementWindowMs: 2_000,
  agreementMargin: 0.15,
  agreementFloorMs: 1_000,
};

/** Bytes per second as an exponentially weighted moving average over time. */
export class SmoothedRate {
  private last: { at: number; bytes: number } | undefined;
  private average: number | undefined;

  constructor(
    private readonly smoothingMs = defaults.smoothingMs,
    private readonly minSampleMs = defaults.minSampleMs,
  ) {}

  /** Adds the bytes received so far at a moment (milliseconds). */
  add(bytes: number, at: number): void {
    const last = this.last;
    if (last && bytes === last.bytes) return; // the same count again: no new measurement
    if (!last || at < last.at || bytes < last.bytes) {
      this.last = { at, bytes };
      this.average = undefined;
      return;
    }
    const elapsed = at - last.at;
    if (elapsed < this.minSampleMs) return;
    const sample = ((bytes - last.bytes) * 1000) / elapsed;
    const weight = 1 - Math.exp(-elapsed / this.smoothingMs);
    this.average = this.average === undefined ? sample : this.average + weight * (sample - this.average);
    this.last = { at, bytes };
  }

  /** Bytes per second, or undefined before the first full sample. */
  get bytesPerSecond(): number | undefined {
    return this.average;
  }
}

/** Turns raw estimates of the time left into one that is shown only while it holds steady. */
export class EtaEstimator {
  private readonly options: Required<EtaOptions>;
  private readonly rate: SmoothedRate;
  private startedAt: number | undefined;
  /** Recent estimates of when the transfer ends: [made at, ends at], milliseconds. */
  private ends: [number, number][] = [];
  private shown = false;

  constructor(options: EtaOptions = {}) {
    this.options = { ...defaults, ...options };
    this.rate = new SmoothedRate(this.options.smoothingMs, this.options.minSampleMs);
  }

  get bytesPerSecond(): number | undefined {
    return this.rate.bytesPerSecond;
  }

  /** A new byte count from git, at a moment (milliseconds). */
  addBytes(bytes: number, at: number): void {
    this.startedAt ??= at;
    this.rate.add(bytes, at);
  }

  /**
   * Seconds left for `remainingBytes` (counted at `countedAt`), as of `at`; undefined while the
   * estimate is not steady ("estimating…").
   */
  secondsLeft(remainingBytes: number | undefined, countedAt: number, at: number): number | undefined {
    const rate = this.rate.bytesPerSecond;
    if (remainingBytes === undefined || !rate || this.startedAt === undefined) {
      this.shown = false;
      return undefined;
    }
    const endsAt = countedAt + (Math.max(0, remainingBytes) / rate) * 1000;
    this.ends.push([at, endsAt]);
    const { agreementWindowMs, agreementMargin, agreementFloorMs, settleMs } = this.options;
    while (this.ends.length > 1 && this.ends[0]![0] < at - agreementWindowMs) this.ends.shift();
    const left = Math.max(0, endsAt - at);
    // The window must be covered: the first estimates after a pause prove nothing.
    const covered = at - this.ends[0]![0] >= agreementWindowMs * 0.75;
    const spread = Math.max(...this.ends.map(([, end]) => end)) - Math.min(...this.ends.map(([, end]) => end));
    const allowed = Math.max(agreementFloorMs, left * agreementMargin);
    // Once shown, a little more disagreement is tolerated, so the figure does not flicker.
    const agree = spread <= (this.shown ? 2 * allowed : allowed);
    this.shown = at - this.startedAt >= settleMs && covered && agree;
    return this.shown ? left / 1000 : undefined;
  }
}
