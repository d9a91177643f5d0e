/**
 * The shapes a latency probe takes and gives. See start-probe.ts for how they are used.
 */
import type { NetworkFailureKind } from '../net/network-error';

/** One place to measure: the primary or a mirror. */
export interface ProbeTarget {
  /** Unique within one probe, e.g. 'primary' or a mirror server id. */
  id: string;
  /** Where the instance lives; may include a context path such as /bitbucket. */
  baseUrl: string;
}

/**
 * How the measurement of one candidate ended.
 *   measured     every sample arrived and every answer said RUNNING
 *   unhealthy    the server answered, but not "200 RUNNING" (starting, maintenance, a login page...)
 *   unreachable  no answer: refused, DNS, TLS, reset... (error.kind says which)
 *   timeout      the candidate's own deadline passed first
 *   slower       ruled out: it provably cannot beat the best one measured (only in `decided`)
 *   cancelled    the probe was cancelled first
 */
export type CandidateOutcome = 'measured' | 'unhealthy' | 'unreachable' | 'timeout' | 'slower' | 'cancelled';

export type CandidateErrorKind = NetworkFailureKind | 'unhealthy';

export interface CandidateReport {
  id: string;
  baseUrl: string;
  outcome: CandidateOutcome;
  /** The `state` of the last /status answer, e.g. RUNNING, STARTING, MAINTENANCE. */
  state?: string;
  /** The HTTP status of the last /status answer. */
  httpStatus?: number;
  /** Time to open the TCP connection (includes the DNS lookup), measured on the warm-up request. */
  connectMs?: number;
  /** The whole warm-up request: connect, TLS if any, and the first /status round trip. */
  warmupMs?: number;
  /** One entry per /status round trip on the warm connection, in order. */
  samplesMs: number[];
  medianMs?: number;
  /** Interquartile range (Q3 - Q1) of samplesMs. */
  spreadMs?: number;
  minMs?: number;
  /**
   * For 'slower': how long its outstanding request had waited when it was ruled out. A round
   * trip to it took at least this long at that moment.
   */
  lowerBoundMs?: number;
  /** TCP connections opened. 1 when keep-alive held; more means the server closed connections. */
  connections: number;
  error?: { kind: CandidateErrorKind; message: string };
}

export interface ProbeReport {
  /** One per target, in the order of the targets. */
  candidates: CandidateReport[];
  /** From the start of the probe to this report. */
  elapsedMs: number;
  cancelled: boolean;
}

/** Streamed as measurements arrive, so a UI can draw them live. */
export interface SampleEvent {
  id: string;
  /** connect: TCP connect time; warmup: the first request; sample: one timed round trip. */
  kind: 'connect' | 'warmup' | 'sample';
  ms: number;
  /** 0 for connect and warmup; 0..samples-1 for samples. */
  index: number;
}

export interface ProbeOptions {
  /** Round trips timed per candidate after the warm-up. Default 5. */
  samples?: number;
  /** Deadline for each candidate's whole measurement (warm-up and samples). Default 3000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Extra trusted CA certificates (PEM), for servers with a company CA. */
  ca?: string | Buffer | (string | Buffer)[];
  onSample?(event: SampleEvent): void;
  /** Called when a candidate is ruled out and again when its measurement ends. */
  onOutcome?(report: CandidateReport): void;
  /** Milliseconds from a fixed origin; tests may pass a fake. Default performance.now. */
  now?: () => number;
  /**
   * How much longer than the best median a request must wait before its candidate is ruled out:
   * max(minMs, fraction * best). Default { minMs: 10, fraction: 0.25 }.
   */
  ruleOutMargin?: { minMs?: number; fraction?: number };
}

export interface ProbeHandle {
  /** Resolves once every candidate is finished or ruled out ('slower'). */
  decided: Promise<ProbeReport>;
  /** Resolves once every candidate is finished, ruled-out ones measured to the end (or timed out). */
  finished: Promise<ProbeReport>;
  /** Stops every measurement; both promises then resolve with 'cancelled' for what was running. */
  cancel(): void;
}
