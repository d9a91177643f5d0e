/**
 * Is the closest mirror chosen, every time? Full discovery through the helper against the
 * emulated Bitbucket with mirrors at 5, 40, 120 and 250 ms round trip (and the primary at 250),
 * 20 runs as is and 20 with one mirror blackholed and another refusing connections.
 */
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper } from '../support/in-process-helper';
import { median, type BenchReport } from './report';

async function runChoices(topology: Topology, report: BenchReport, label: string): Promise<void> {
  const helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
  try {
    const repository = `${topology.primary.baseUrl}/projects/BENCH/repos/repo`;
    let correct = 0;
    const durations: number[] = [];
    const runs = 20;
    for (let run = 0; run < runs; run += 1) {
      const result = await helper.client.call('discovery.run', { repository, refresh: true });
      durations.push(result.durationMs);
      if (result.chosen === topology.mirrors['m5']!.id) correct += 1;
    }
    report.add({ suite: 'choice', name: `${label}: closest (5 ms) chosen`, value: correct, unit: `of ${runs}`, target: `${runs} of ${runs}`, met: correct === runs });
    report.add({ suite: 'choice', name: `${label}: whole discovery (REST, probe, ref check), median`, value: median(durations), unit: 'ms', details: { durations } });
  } finally {
    await helper.stop();
  }
}

export async function benchChoice(report: BenchReport): Promise<void> {
  const topology = await startTopology({
    primary: { delayMs: 125 },
    mirrors: [
      { name: 'm5', delayMs: 2.5 },
      { name: 'm40', delayMs: 20 },
      { name: 'm120', delayMs: 60 },
      { name: 'm250', delayMs: 125 },
    ],
    projects: [{ key: 'BENCH', repos: [{ slug: 'repo' }] }],
  });
  try {
    await runChoices(topology, report, 'all reachable');
    topology.setFault('m40', { kind: 'stall' });
    topology.setFault('m120', { kind: 'refuse' });
    await runChoices(topology, report, 'm40 blackholed, m120 refusing');
  } finally {
    await topology.stop();
  }
}
