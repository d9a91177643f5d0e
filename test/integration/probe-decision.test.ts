// Many candidates at once over real loopback servers behind shaping proxies: the decision comes
// early (never at a timeout), a blackholed or refusing candidate does not hold it up, and the
// closest candidate wins every time. Times are printed for the report; bounds are generous
// because the machines are shared and noisy.
import { afterEach, describe, expect, it } from 'vitest';
import { startProbe } from '../../electron/helper/probe';
import type { ProbeReport, ProbeTarget } from '../../electron/helper/probe';
import { startStatusServer, type StatusServer } from '../fixtures/net/status-server';

const servers: StatusServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

type Candidate = { rttMs: number } | { fault: 'stall' | 'refuse' };

/** Starts one status server per candidate; ids say what each one is: rtt5, rtt40, hole, refused. */
async function world(candidates: Candidate[]): Promise<ProbeTarget[]> {
  const started = await Promise.all(
    candidates.map((candidate) =>
      'rttMs' in candidate
        ? startStatusServer({ delayMs: candidate.rttMs / 2 })
        : startStatusServer({ delayMs: 5, fault: { kind: candidate.fault } }),
    ),
  );
  servers.push(...started);
  return started.map((server, i) => {
    const candidate = candidates[i];
    return { id: 'rttMs' in candidate ? `rtt${candidate.rttMs}` : candidate.fault === 'stall' ? 'hole' : 'refused', baseUrl: server.baseUrl };
  });
}

/** What choose.ts will do, near enough for a test: the lowest median among the measured. */
function closest(report: ProbeReport): string | undefined {
  const measured = report.candidates.filter((c) => c.outcome === 'measured');
  measured.sort((a, b) => a.medianMs! - b.medianMs!);
  return measured[0]?.id;
}

function slowestLiveRtt(candidates: Candidate[]): number {
  return Math.max(...candidates.map((c) => ('rttMs' in c ? c.rttMs : 0)));
}

function describeReport(report: ProbeReport): string {
  return report.candidates
    .map((c) => `${c.id}:${c.outcome}${c.medianMs !== undefined ? `(${c.medianMs})` : ''}${c.lowerBoundMs !== undefined ? `(>=${c.lowerBoundMs})` : ''}`)
    .join(' ');
}

async function decide(targets: ProbeTarget[]): Promise<{ report: ProbeReport; wallMs: number; finished: Promise<ProbeReport>; cancel(): void }> {
  const started = performance.now();
  const probe = startProbe(targets);
  const report = await probe.decided;
  return { report, wallMs: performance.now() - started, finished: probe.finished, cancel: probe.cancel };
}

describe('probe decision over shaped links', () => {
  it('5, 40, 120 and 250 ms: decides well within 3 x 250 + 200 ms, and the finished medians match the links', async () => {
    const candidates = [{ rttMs: 250 }, { rttMs: 40 }, { rttMs: 5 }, { rttMs: 120 }];
    const targets = await world(candidates);
    const { report, wallMs, finished } = await decide(targets);
    console.log(`4 candidates 5/40/120/250 ms: decided in ${wallMs.toFixed(0)} ms: ${describeReport(report)}`);

    expect(wallMs).toBeLessThan(3 * slowestLiveRtt(candidates) + 200);
    expect(closest(report)).toBe('rtt5');

    const full = await finished;
    console.log(`  finished in ${full.elapsedMs.toFixed(0)} ms: ${describeReport(full)}`);
    for (const candidate of full.candidates) {
      const rtt = Number(candidate.id.slice(3));
      expect(candidate.outcome).toBe('measured');
      // The proxy adds exactly the delay; measuring adds a little on top, never takes any away.
      expect(candidate.medianMs).toBeGreaterThanOrEqual(rtt - 1);
      expect(candidate.medianMs).toBeLessThan(rtt + 25);
    }
  });

  it.each([
    ['1 live + 1 blackholed', [{ rttMs: 40 }, { fault: 'stall' }]],
    ['3 live + 1 blackholed', [{ rttMs: 120 }, { fault: 'stall' }, { rttMs: 5 }, { rttMs: 40 }]],
  ] as [string, Candidate[]][])('%s: the blackholed one is ruled out, the decision does not wait for its timeout', async (name, candidates) => {
    const targets = await world(candidates);
    const { report, wallMs, cancel } = await decide(targets);
    cancel();
    console.log(`${name}: decided in ${wallMs.toFixed(0)} ms: ${describeReport(report)}`);

    const hole = report.candidates.find((c) => c.id === 'hole')!;
    expect(hole.outcome).toBe('slower');
    expect(hole.lowerBoundMs).toBeGreaterThan(0);
    expect(closest(report)).toBe(`rtt${Math.min(...candidates.map((c) => ('rttMs' in c ? c.rttMs : Infinity)))}`);
    // One live candidate alone needs a warm-up and five samples: 6 round trips, plus slack.
    const liveRtts = candidates.flatMap((c) => ('rttMs' in c ? [c.rttMs] : []));
    const bound = liveRtts.length === 1 ? 6 * liveRtts[0] + 300 : 3 * slowestLiveRtt(candidates) + 200;
    expect(wallMs).toBeLessThan(bound);
  });

  it('16 candidates, one blackholed and one refusing: decides within 3 x the slowest live round trip + 200 ms', async () => {
    const rtts = [5, 10, 20, 30, 40, 60, 80, 100, 120, 150, 180, 200, 250, 300];
    const candidates: Candidate[] = [...rtts.map((rttMs) => ({ rttMs })), { fault: 'stall' }, { fault: 'refuse' }];
    // Shuffled by a fixed rule, so that the closest one is not simply the first started.
    const order = candidates.map((_, i) => (i * 7) % candidates.length);
    const targets = await world(order.map((i) => candidates[i]));
    const { report, wallMs, finished } = await decide(targets);
    console.log(`16 candidates (hole + refused): decided in ${wallMs.toFixed(0)} ms: ${describeReport(report)}`);

    expect(wallMs).toBeLessThan(3 * slowestLiveRtt(candidates) + 200);
    expect(closest(report)).toBe('rtt5');
    const byId = new Map(report.candidates.map((c) => [c.id, c]));
    expect(byId.get('hole')!.outcome).toBe('slower');
    expect(byId.get('refused')!.outcome).toBe('unreachable');
    expect(byId.get('refused')!.error?.kind).toBe('refused');

    // Ruled-out candidates go on being measured for display; the blackholed one until its timeout.
    const full = await finished;
    console.log(`  finished in ${full.elapsedMs.toFixed(0)} ms`);
    const fullById = new Map(full.candidates.map((c) => [c.id, c]));
    expect(fullById.get('hole')!.outcome).toBe('timeout');
    expect(fullById.get('rtt300')!.outcome).toBe('measured');
    expect(full.elapsedMs).toBeGreaterThanOrEqual(2_990);
  });

  it('the closest is chosen in 20 of 20 runs', async () => {
    const candidates = [{ rttMs: 120 }, { rttMs: 5 }, { rttMs: 250 }, { rttMs: 40 }, { fault: 'stall' as const }];
    const targets = await world(candidates);
    const choices: string[] = [];
    const times: number[] = [];
    for (let run = 0; run < 20; run += 1) {
      const { report, wallMs, cancel } = await decide(targets);
      cancel();
      choices.push(closest(report) ?? 'none');
      times.push(wallMs);
    }
    times.sort((a, b) => a - b);
    console.log(`20 runs (5/40/120/250 + hole): decision ms min ${times[0].toFixed(0)}, median ${times[10].toFixed(0)}, max ${times[19].toFixed(0)}`);
    expect(choices).toEqual(Array(20).fill('rtt5'));
    expect(times[19]).toBeLessThan(3 * 250 + 200);
  });
});
