/**
 * Transfer rate from (time, bytes so far) samples, for when git does not print its own
 * "| 3.10 MiB/s" (isomorphic-git never does; a line with bytes but no rate is possible too).
 * The rate is measured over a sliding window: long enough to smooth the bursts a TCP receive
 * window makes, short enough to follow a link that slows down.
 */
export class RateEstimator {
  private samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 3_000,
    /** Below this span the first samples say more about scheduling than about the link. */
    private readonly minimumSpanMs = 250,
  ) {}

  add(bytes: number, at: number): void {
    const last = this.samples.at(-1);
    if (last && (at < last.at || bytes < last.bytes)) this.samples = []; // a new transfer began
    this.samples.push({ at, bytes });
    // Keep one sample older than the window, so the window is always fully covered.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) this.samples.shift();
  }

  /** Bytes per second, or undefined until the samples span minimumSpanMs. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < this.minimumSpanMs) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}
