// The early decision of startProbe, with scripted candidates on fake timers: every time here is
// exact, so the rules themselves are tested, not the network.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startProbe } from '../../electron/helper/probe/start-probe';
import { summarizeSamples } from '../../electron/helper/probe/statistics';
import type { CandidateMeasurer } from '../../electron/helper/probe/measure-candidate';
import type { CandidateReport, ProbeOptions, ProbeReport, SampleEvent } from '../../electron/helper/probe/types';

/** Per candidate: how long each request takes (warm-up first), or 'never' for a blackholed one. */
type Script = number[] | 'never' | { unhealthyAfterMs: number };

function waitOrAbort(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    // Removed when the wait ends: one signal serves every wait of a measurement.
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function scripted(scripts: Record<string, Script>): CandidateMeasurer {
  return async (target, settings, listener) => {
    const script = scripts[target.id];
    const report: CandidateReport = { id: target.id, baseUrl: target.baseUrl, outcome: 'measured', samplesMs: [], connections: 1 };
    if (!Array.isArray(script)) {
      listener.requestStarted(settings.now());
      const waitMs = script === 'never' ? settings.timeoutMs : script.unhealthyAfterMs;
      if (!(await waitOrAbort(waitMs, settings.signal))) return { ...report, outcome: 'cancelled' };
      return { ...report, outcome: script === 'never' ? 'timeout' : 'unhealthy' };
    }
    for (const [index, ms] of script.entries()) {
      listener.requestStarted(settings.now());
      if (!(await waitOrAbort(ms, settings.signal))) return { ...report, outcome: 'cancelled' };
      if (index === 0) listener.sample({ kind: 'warmup', ms, index: 0 });
      else {
        report.samplesMs.push(ms);
        listener.sample({ kind: 'sample', ms, index: index - 1 });
      }
    }
    return { ...report, ...summarizeSamples(report.samplesMs) };
  };
}

const each = (ms: number, count = 6) => Array<number>(count).fill(ms);

function probe(scripts: Record<string, Script>, options: ProbeOptions = {}) {
  const targets = Object.keys(scripts).map((id) => ({ id, baseUrl: `http://${id}.example` }));
  return startProbe(targets, { now: () => Date.now(), ...options }, scripted(scripts));
}

function outcomes(report: ProbeReport): Record<string, string> {
  return Object.fromEntries(report.candidates.map((c) => [c.id, c.outcome]));
}

/** Resolves `promise` while fake time runs; fails if it needs more than `limitMs` of it. */
async function within<T>(promise: Promise<T>, limitMs: number): Promise<T> {
  let value: T | undefined;
  let done = false;
  void promise.then((v) => {
    value = v;
    done = true;
  });
  for (let elapsed = 0; !done && elapsed <= limitMs; elapsed += 1) await vi.advanceTimersByTimeAsync(1);
  if (!done) throw new Error(`not settled within ${limitMs} ms of fake time`);
  return value as T;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('startProbe: the early decision', () => {
  it('decides when the best is measured and rules out a slow and a blackholed candidate at once', async () => {
    const handle = probe({ near: each(10), far: each(100), hole: 'never' });
    const decided = await within(handle.decided, 1_000);

    // near needs 6 x 10 ms; far's warm-up and hole's connection have waited 60 ms > 10 + 10 by then.
    expect(decided.elapsedMs).toBe(60);
    expect(outcomes(decided)).toEqual({ near: 'measured', far: 'slower', hole: 'slower' });
    expect(decided.candidates[1].lowerBoundMs).toBe(60);
    expect(decided.candidates[0].medianMs).toBe(10);

    const finished = await within(handle.finished, 5_000);
    expect(outcomes(finished)).toEqual({ near: 'measured', far: 'measured', hole: 'timeout' });
    expect(finished.elapsedMs).toBe(3_000);
    expect(finished.candidates[1].medianMs).toBe(100);
  });

  it('waits for a competitor whose requests stay within the margin', async () => {
    const decided = await within(probe({ a: each(10), b: each(19) }).decided, 1_000);
    expect(outcomes(decided)).toEqual({ a: 'measured', b: 'measured' });
    expect(decided.elapsedMs).toBe(6 * 19);
  });

  it('rules out a candidate in the middle of its samples once its request outwaits the best', async () => {
    // a is done at 60 with median 10; b's requests take 30 ms, so its third one goes out at 60
    // and has waited the allowed 10 + 10 ms at 80.
    const decided = await within(probe({ a: each(10), b: each(30) }).decided, 1_000);
    expect(decided.elapsedMs).toBe(80);
    expect(decided.candidates[1]).toMatchObject({ outcome: 'slower', lowerBoundMs: 20, warmupMs: 30, samplesMs: [30] });
  });

  it('the margin grows with the best median', async () => {
    // best 100 ms: allowed 100 + 25; a competitor at 120 ms per request is not ruled out.
    const decided = await within(probe({ a: each(100), b: each(120) }).decided, 2_000);
    expect(outcomes(decided)).toEqual({ a: 'measured', b: 'measured' });
  });

  it('a better median measured later tightens the bound for the rest', async () => {
    // a: done at 1 + 5 x 20 = 101, median 20 (allowed 30). c at 25 ms per request survives that.
    // b: done at 80 + 5 x 10 = 130, median 10 (allowed 20): now c's request in flight is ruled out.
    const decided = await within(probe({ a: [1, ...each(20, 5)], b: [80, ...each(10, 5)], c: each(25) }).decided, 1_000);
    expect(outcomes(decided)).toEqual({ a: 'measured', b: 'measured', c: 'slower' });
    // c's request went out at 125 and has waited 20 ms at 145.
    expect(decided.elapsedMs).toBe(145);
  });

  it('with no healthy candidate there is nothing to beat: the decision waits for every timeout', async () => {
    const handle = probe({ down: { unhealthyAfterMs: 5 }, hole: 'never' }, { timeoutMs: 500 });
    const decided = await within(handle.decided, 1_000);
    expect(decided.elapsedMs).toBe(500);
    expect(outcomes(decided)).toEqual({ down: 'unhealthy', hole: 'timeout' });
  });

  it('streams samples with their candidate id and tells about ruling out before the final outcome', async () => {
    const samples: SampleEvent[] = [];
    const outcomesSeen: string[] = [];
    const handle = probe(
      { near: each(10, 3), far: each(50, 3) },
      { samples: 2, onSample: (e) => samples.push(e), onOutcome: (r) => outcomesSeen.push(`${r.id}:${r.outcome}`) },
    );
    await within(handle.finished, 1_000);
    expect(samples.filter((e) => e.id === 'near').map((e) => `${e.kind}${e.index}`)).toEqual(['warmup0', 'sample0', 'sample1']);
    expect(samples.filter((e) => e.id === 'far')).toHaveLength(3);
    expect(outcomesSeen).toEqual(['near:measured', 'far:slower', 'far:measured']);
  });

  it('a listener that throws does not break the measurement', async () => {
    const handle = probe({ a: each(10) }, { onSample: () => { throw new Error('UI bug'); } });
    expect(outcomes(await within(handle.finished, 1_000))).toEqual({ a: 'measured' });
  });
});

describe('startProbe: cancelling and edge cases', () => {
  it('cancel() resolves both promises with what was running marked cancelled', async () => {
    const handle = probe({ near: each(10), hole: 'never' });
    await vi.advanceTimersByTimeAsync(25);
    handle.cancel();
    const finished = await within(handle.finished, 10);
    expect(finished.cancelled).toBe(true);
    expect(outcomes(finished)).toEqual({ near: 'cancelled', hole: 'cancelled' });
    expect((await handle.decided).elapsedMs).toBe(25);
  });

  it('an already aborted signal cancels at once', async () => {
    const handle = probe({ a: each(10) }, { signal: AbortSignal.abort() });
    expect(outcomes(await within(handle.decided, 5))).toEqual({ a: 'cancelled' });
  });

  it('cancelling after the decision keeps the decision as it was', async () => {
    const handle = probe({ near: each(10), far: each(100) });
    const decided = await within(handle.decided, 1_000);
    handle.cancel();
    const finished = await within(handle.finished, 10);
    expect(outcomes(decided)).toEqual({ near: 'measured', far: 'slower' });
    expect(outcomes(finished)).toEqual({ near: 'measured', far: 'cancelled' });
  });

  it('no targets: both promises resolve at once', async () => {
    const handle = startProbe([]);
    expect((await handle.decided).candidates).toEqual([]);
    expect((await handle.finished).candidates).toEqual([]);
  });

  it('refuses duplicate ids and meaningless settings', () => {
    const twice = [{ id: 'm', baseUrl: 'http://a' }, { id: 'm', baseUrl: 'http://b' }];
    expect(() => startProbe(twice)).toThrow(/unique/);
    expect(() => startProbe([], { samples: 0 })).toThrow(/samples/);
    expect(() => startProbe([], { timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});
