/**
 * How fast the probe decides, against the target: under 3x the slowest live candidate's round
 * trip + 200 ms, and never the full per-candidate timeout. One candidate is blackholed (accepts
 * TCP, never answers) in every set; the 16-candidate set also has one refusing connections.
 */
import { startProbe } from '../../electron/helper/probe';
import { startStatusServer, type StatusServer } from '../fixtures/net/status-server';
import { median, type BenchReport } from './report';

const timeoutMs = 3_000;

async function measureSet(report: BenchReport, label: string, liveRttsMs: number[], extras: { refusing: boolean }): Promise<void> {
  const servers: StatusServer[] = [];
  try {
    for (const rtt of liveRttsMs) servers.push(await startStatusServer({ delayMs: rtt / 2 }));
    servers.push(await startStatusServer({ delayMs: 5, fault: { kind: 'stall' } }));
    if (extras.refusing) servers.push(await startStatusServer({ delayMs: 5, fault: { kind: 'refuse' } }));
    const targets = servers.map((server, index) => ({ id: `c${index}`, baseUrl: server.baseUrl }));
    const times: number[] = [];
    let closestChosen = 0;
    const runs = 5;
    for (let run = 0; run < runs; run += 1) {
      const probe = startProbe(targets, { timeoutMs });
      const decision = await probe.decided;
      times.push(decision.elapsedMs);
      const best = decision.candidates.filter((candidate) => candidate.medianMs !== undefined).sort((a, b) => a.medianMs! - b.medianMs!)[0];
      if (best?.id === 'c0') closestChosen += 1;
      probe.cancel();
      await probe.finished;
    }
    const slowestLive = Math.max(...liveRttsMs);
    const bound = 3 * slowestLive + 200;
    const worst = Math.max(...times);
    report.add({
      suite: 'decision',
      name: `${label}: decision time, median of ${runs} (worst ${Math.round(worst)} ms)`,
      value: median(times),
      unit: 'ms',
      target: `< ${bound} ms, never ${timeoutMs} ms`,
      met: worst < bound && worst < timeoutMs,
      details: { times, liveRttsMs, closestChosen, runs },
    });
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

export async function benchDecision(report: BenchReport): Promise<void> {
  await measureSet(report, '1 live (5 ms) + 1 blackholed', [5], { refusing: false });
  await measureSet(report, '4 live (5/40/120/250 ms) + 1 blackholed', [5, 40, 120, 250], { refusing: false });
  const sixteen = [5, 10, 20, 30, 40, 55, 70, 85, 100, 120, 150, 180, 210, 250];
  await measureSet(report, '14 live (5..250 ms) + 1 blackholed + 1 refusing', sixteen, { refusing: true });
}
