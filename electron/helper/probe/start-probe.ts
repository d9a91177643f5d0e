/**
 * The latency probe: measures every candidate (primary and mirrors) in parallel and decides as
 * early as it honestly can.
 *
 *   const probe = startProbe(targets, { signal, onSample });
 *   const decision = await probe.decided;  // rank this one (choose.ts)
 *   const full = await probe.finished;     // for display: ruled-out candidates measured to the end
 *   probe.cancel();                        // or abort `signal`: stops everything, frees every socket
 *
 * How each candidate is measured is in measure-candidate.ts.
 *
 * Early decision. Once some healthy candidate has all its samples, its median M is the time to
 * beat. A request that has already waited longer than M (plus a margin for noise) means its
 * candidate cannot be the closest: it is ruled out as 'slower', with the wait so far as its lower
 * bound, and the decision no longer waits for it. That includes a candidate still connecting
 * and a blackholed one that will never answer, so neither holds the decision up until a
 * timeout. `decided` resolves when every candidate is finished or ruled out; the ruled-out ones
 * keep being measured (to completion or their timeout) for `finished`, so a UI can keep
 * streaming their samples. Cancel once `decided` is in if that is not wanted.
 *
 * Neither promise rejects: a cancelled probe resolves with 'cancelled' for what was still running.
 */
import { measureCandidate, type CandidateListener, type CandidateMeasurer, type CandidateSettings } from './measure-candidate';
import { roundMs } from './statistics';
import type { CandidateReport, ProbeHandle, ProbeOptions, ProbeReport, ProbeTarget } from './types';

export const probeDefaults = { samples: 5, timeoutMs: 3_000, ruleOutMinMarginMs: 10, ruleOutMarginFraction: 0.25 } as const;

interface LiveCandidate {
  target: ProbeTarget;
  samplesMs: number[];
  connectMs?: number;
  warmupMs?: number;
  /** When the request in flight went out; undefined while none is. */
  waitingSince?: number;
  /** Counts requests, so that a watchdog armed for one request never rules on the next one. */
  requestNumber: number;
  watchdog?: NodeJS.Timeout;
  ruledOut?: CandidateReport;
  final?: CandidateReport;
}

/** A listener that throws (a UI bug) must not end a measurement. */
function callSafely(callback: () => void): void {
  try {
    callback();
  } catch {
    // Deliberately ignored; see above.
  }
}

function checkTargets(targets: readonly ProbeTarget[]): void {
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.id)) throw new Error(`Probe targets need unique ids; "${target.id}" appears twice.`);
    seen.add(target.id);
  }
}

/**
 * `measure` is for tests that script candidates instead of measuring real servers.
 */
export function startProbe(targets: readonly ProbeTarget[], options: ProbeOptions = {}, measure: CandidateMeasurer = measureCandidate): ProbeHandle {
  checkTargets(targets);
  const samples = options.samples ?? probeDefaults.samples;
  const timeoutMs = options.timeoutMs ?? probeDefaults.timeoutMs;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`samples must be a whole number >= 1, got ${samples}`);
  if (!(timeoutMs > 0)) throw new Error(`timeoutMs must be > 0, got ${timeoutMs}`);
  const minMarginMs = options.ruleOutMargin?.minMs ?? probeDefaults.ruleOutMinMarginMs;
  const marginFraction = options.ruleOutMargin?.fraction ?? probeDefaults.ruleOutMarginFraction;
  const now = options.now ?? (() => performance.now());
  const startedAt = now();

  const cancellation = new AbortController();
  const cancel = () => cancellation.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) cancel();

  const candidates: LiveCandidate[] = targets.map((target) => ({ target, samplesMs: [], requestNumber: 0 }));
  /** The lowest median of a completely measured candidate so far. */
  let bestMedianMs: number | undefined;
  let decidedAlready = false;
  let resolveDecided: (report: ProbeReport) => void = () => {};
  let resolveFinished: (report: ProbeReport) => void = () => {};
  const decided = new Promise<ProbeReport>((resolve) => (resolveDecided = resolve));
  const finished = new Promise<ProbeReport>((resolve) => (resolveFinished = resolve));

  const reportOf = (candidate: LiveCandidate): CandidateReport =>
    candidate.final ??
    candidate.ruledOut ?? {
      id: candidate.target.id,
      baseUrl: candidate.target.baseUrl,
      outcome: 'cancelled',
      samplesMs: [...candidate.samplesMs],
      connections: 0,
    };
  const snapshot = (): ProbeReport => ({
    candidates: candidates.map((candidate) => {
      const report = reportOf(candidate);
      return { ...report, samplesMs: [...report.samplesMs] };
    }),
    elapsedMs: roundMs(now() - startedAt),
    cancelled: cancellation.signal.aborted,
  });

  const settleIfDone = () => {
    if (!decidedAlready && candidates.every((c) => c.final || c.ruledOut)) {
      decidedAlready = true;
      resolveDecided(snapshot());
    }
    if (candidates.every((c) => c.final)) {
      options.signal?.removeEventListener('abort', cancel);
      resolveFinished(snapshot());
    }
  };

  const stopWatching = (candidate: LiveCandidate) => {
    clearTimeout(candidate.watchdog);
    candidate.watchdog = undefined;
  };

  const ruleOut = (candidate: LiveCandidate) => {
    if (candidate.final || candidate.ruledOut || candidate.waitingSince === undefined) return;
    candidate.ruledOut = {
      id: candidate.target.id,
      baseUrl: candidate.target.baseUrl,
      outcome: 'slower',
      connectMs: candidate.connectMs,
      warmupMs: candidate.warmupMs,
      samplesMs: [...candidate.samplesMs],
      lowerBoundMs: roundMs(now() - candidate.waitingSince),
      // So far: the warm-up's connection once it was up (the final report counts every one).
      connections: candidate.connectMs === undefined ? 0 : 1,
    };
    callSafely(() => options.onOutcome?.(candidate.ruledOut!));
    settleIfDone();
  };

  /** Arms a timer for the moment the request in flight has waited longer than the best median allows. */
  const watch = (candidate: LiveCandidate) => {
    stopWatching(candidate);
    if (bestMedianMs === undefined || candidate.final || candidate.ruledOut || candidate.waitingSince === undefined) return;
    const allowedMs = bestMedianMs + Math.max(minMarginMs, marginFraction * bestMedianMs);
    const requestNumber = candidate.requestNumber;
    const dueInMs = candidate.waitingSince + allowedMs - now();
    if (dueInMs <= 0) {
      ruleOut(candidate);
      return;
    }
    candidate.watchdog = setTimeout(() => {
      if (candidate.requestNumber === requestNumber) ruleOut(candidate);
    }, dueInMs);
  };

  const finish = (candidate: LiveCandidate, report: CandidateReport) => {
    candidate.final = report;
    candidate.waitingSince = undefined;
    stopWatching(candidate);
    callSafely(() => options.onOutcome?.(report));
    if (report.outcome === 'measured' && report.medianMs !== undefined && (bestMedianMs === undefined || report.medianMs < bestMedianMs)) {
      bestMedianMs = report.medianMs;
      for (const other of candidates) watch(other);
    }
    settleIfDone();
  };

  const settings: CandidateSettings = { samples, timeoutMs, signal: cancellation.signal, ca: options.ca, now };
  for (const candidate of candidates) {
    const id = candidate.target.id;
    const listener: CandidateListener = {
      requestStarted(at) {
        candidate.waitingSince = at;
        candidate.requestNumber += 1;
        watch(candidate);
      },
      sample(event) {
        if (event.kind === 'connect') candidate.connectMs = event.ms;
        if (event.kind === 'warmup') candidate.warmupMs = event.ms;
        if (event.kind === 'sample') candidate.samplesMs.push(event.ms);
        if (event.kind !== 'connect') {
          candidate.waitingSince = undefined;
          stopWatching(candidate);
        }
        callSafely(() => options.onSample?.({ id, ...event }));
      },
    };
    measure(candidate.target, settings, listener).then(
      (report) => finish(candidate, report),
      (error: unknown) =>
        finish(candidate, {
          id,
          baseUrl: candidate.target.baseUrl,
          outcome: 'unreachable',
          samplesMs: [...candidate.samplesMs],
          connections: 0,
          error: { kind: 'reset', message: `Measuring failed: ${error instanceof Error ? error.message : String(error)}` },
        }),
    );
  }
  if (candidates.length === 0) settleIfDone();

  return { decided, finished, cancel };
}
