/**
 * Latency from here, for a discovery: measured with the probe (streaming its samples to the UI),
 * or reused from a measurement of the same candidates made on the same network within the
 * cache's lifetime (or within `params.maxAgeMs`, when the caller wants a recent answer). Joining
 * another network changes the network id, so the next discovery measures afresh.
 */
import { ContractError } from '../../../shared/contract';
import type { EventSink } from '../rpc/dispatcher';
import { startProbe, type ProbeHandle, type ProbeReport, type ProbeTarget } from '../probe';
import type { MeasurementCache } from '../network/measurement-cache';
import type { CandidateMeasurement } from './choose';
import type { DiscoveryParams } from './service';

export interface LatencyMeasurementDeps {
  emit: EventSink;
  defaultSamples(): number;
  probeTimeoutMs?: number;
  measurements?: MeasurementCache;
}

/** One discovery's request to measure: `networkId` keys the cache (none: always measure). */
export interface MeasureContext {
  params: DiscoveryParams;
  runId: string;
  ca?: string | Buffer;
  primaryBaseUrl: string;
  networkId?: string;
  signal: AbortSignal;
}

export interface Measured {
  report: ProbeReport;
  fromCache: boolean;
  measuredAt: number;
  /** Every candidate measured to the end (those ruled out early included). */
  complete(): Promise<ProbeReport>;
}

export function toMeasurement(report: ProbeReport['candidates'][number]): CandidateMeasurement {
  return {
    outcome: report.outcome,
    medianMs: report.medianMs,
    spreadMs: report.spreadMs,
    connectMs: report.connectMs,
    samplesMs: report.samplesMs,
    lowerBoundMs: report.lowerBoundMs,
    detail: report.error?.message ?? (report.state && report.state !== 'RUNNING' ? report.state : undefined),
  };
}

export function createLatencyMeasurement(deps: LatencyMeasurementDeps): {
  measure(targets: ProbeTarget[], context: MeasureContext): Promise<Measured>;
  /**
   * A measurement of the same candidates on this network that the cache still keeps, without
   * measuring anything: undefined when there is none, or when the caller asked to measure again
   * (`params.refresh`). Its `complete()` measures afresh.
   */
  recall(targets: ProbeTarget[], context: MeasureContext): Promise<Measured | undefined>;
  /** Stops measurements still running in the background (ruled-out candidates, for display). */
  stop(): void;
} {
  const running = new Set<ProbeHandle>();
  /** What the cache keys a measurement by; none (no cache, network unknown): always measure. */
  const keyOf = (targets: ProbeTarget[], context: MeasureContext) =>
    deps.measurements && context.networkId ? { networkId: context.networkId, primaryBaseUrl: context.primaryBaseUrl, scope: { candidates: targets } } : undefined;
  /** The newest probe per cache key: an older probe finishing late must not overwrite its report. */
  const newestProbe = new Map<string, ProbeHandle>();
  const measure = async (
    targets: ProbeTarget[],
    context: MeasureContext,
  ): Promise<Measured> => {
    const { params, signal } = context;
    const key = keyOf(targets, context);
    const keyText = key && JSON.stringify(key);
    const store = (probe: ProbeHandle, report: ProbeReport) =>
      key && keyText && newestProbe.get(keyText) === probe ? deps.measurements?.put(key, report).catch(() => {}) : undefined;
    const fresh = async (toTheEnd: boolean): Promise<Measured> => {
      const probe = startProbe(targets, {
        samples: params.samples ?? deps.defaultSamples(),
        timeoutMs: deps.probeTimeoutMs,
        signal,
        ca: context.ca,
        onSample: (sample) => deps.emit('discovery.sample', { runId: context.runId, candidateId: sample.id, kind: sample.kind, ms: sample.ms }),
      });
      running.add(probe);
      if (keyText) newestProbe.set(keyText, probe);
      void probe.finished.then(() => running.delete(probe));
      const forget = () => keyText && newestProbe.get(keyText) === probe && newestProbe.delete(keyText);
      // The ref check runs after this, not alongside: it parses git's answers on this event loop,
      // which would add its own delays to the latency samples.
      const report = await (toTheEnd ? probe.finished : probe.decided);
      if (report.cancelled || signal.aborted) {
        forget();
        throw new ContractError('CANCELLED', 'Discovery was cancelled.');
      }
      await store(probe, report);
      // Candidates ruled out early keep being measured in the background. Once every one has
      // finished, the full report replaces the early one, so that a later reuse shows their
      // medians rather than the lower bounds that ruled them out.
      void probe.finished.then(async (full) => {
        if (full !== report && !full.cancelled) await store(probe, full);
        forget();
      });
      const complete = async () => {
        const full = await probe.finished;
        if (full.cancelled || signal.aborted) throw new ContractError('CANCELLED', 'Discovery was cancelled.');
        return full;
      };
      return { report, fromCache: false, measuredAt: Date.now(), complete };
    };
    if (!params.refresh && !params.measureAll) {
      const cached = await cachedOnly(targets, context, () => fresh(true).then((measured) => measured.report));
      if (cached) return cached;
    }
    return fresh(Boolean(params.measureAll));
  };
  const cachedOnly = async (targets: ProbeTarget[], context: MeasureContext, complete: () => Promise<ProbeReport>): Promise<Measured | undefined> => {
    const key = keyOf(targets, context);
    const cached = key && (await deps.measurements?.get(key, { maxAgeMs: context.params.maxAgeMs }).catch(() => undefined));
    return cached ? { report: cached.report, fromCache: true, measuredAt: cached.storedAt, complete } : undefined;
  };
  return {
    measure,
    recall: async (targets, context) =>
      context.params.refresh ? undefined : cachedOnly(targets, context, () => measure(targets, { ...context, params: { ...context.params, measureAll: true } }).then((measured) => measured.report)),
    stop() {
      for (const probe of running) probe.cancel();
    },
  };
}
