/**
 * How long a whole clone from one source is expected to take from here:
 *
 *   set-up + size ÷ throughput + (the top-up from the primary, when the source lags)
 *
 * Set-up is the connection (TCP and TLS: the probe's measured connect time, else one round trip)
 * plus the round trips smart HTTP needs before the pack flows (ref listing, negotiation, the
 * request for the pack). The top-up is a ref listing and a small fetch from the primary: its round
 * trips dominate, since a mirror a few commits behind lacks little data.
 *
 * A source whose throughput is not known is given a presumed figure (presumedThroughput): between
 * such sources the model then ranks by the round trip, as before any figure was known. The figure
 * is never shown as if it were measured.
 */

/** Round trips before the pack flows: ref advertisement, negotiation, the pack request. */
export const setupRoundTrips = 3;
/** A top-up: list the primary's refs, negotiate, receive the few objects the mirror lacked. */
export const topUpRoundTrips = 4;
/** The most an unmeasured source is presumed to deliver: a good office link (100 Mbit/s). */
const presumedLinkBytesPerSecond = 12_500_000;
/** Bytes a lossy TCP path delivers per second of round trip (250 KB/s at 1 s, 10 MB/s at 25 ms). */
const presumedBytesPerRoundTrip = 250_000;
/** When the primary's round trip is not known either: a far primary, the case mirrors exist for. */
const presumedPrimaryRttMs = 250;

export interface SourceFacts {
  /** Median round trip, or the lower bound a source was ruled out with. */
  rttMs?: number;
  /** TCP (and TLS) connect time, when the probe measured one. */
  connectMs?: number;
  /** What it delivers here; undefined: not known (presumed from the round trip). */
  bytesPerSecond?: number;
  /** Lacks refs the primary has: the top-up from the primary follows the clone. */
  behind: boolean;
}

export interface ExpectedTimeContext {
  sizeBytes: number;
  /** The primary's round trip from here, for the top-up. */
  primaryRttMs?: number;
}

/**
 * What a source whose throughput is unknown is presumed to deliver. TCP over a lossy path delivers
 * in inverse proportion to the round trip (the Mathis relation), so a far server is presumed
 * slower than a near one, up to what a good office link carries.
 */
export function presumedThroughput(rttMs: number | undefined): number {
  if (rttMs === undefined || rttMs <= 0) return presumedLinkBytesPerSecond;
  return Math.min(presumedLinkBytesPerSecond, presumedBytesPerRoundTrip / (rttMs / 1000));
}

export function topUpMs(primaryRttMs: number | undefined): number {
  return topUpRoundTrips * (primaryRttMs ?? presumedPrimaryRttMs);
}

export function expectedCloneMs(facts: SourceFacts, context: ExpectedTimeContext): number {
  const rtt = facts.rttMs ?? presumedPrimaryRttMs;
  const setup = (facts.connectMs ?? rtt) + setupRoundTrips * rtt;
  const transfer = (context.sizeBytes / (facts.bytesPerSecond ?? presumedThroughput(facts.rttMs))) * 1000;
  return setup + transfer + (facts.behind ? topUpMs(context.primaryRttMs) : 0);
}
