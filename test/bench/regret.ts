/**
 * Regret of the chosen source: a plain `git clone` from the source mirror-clone chose ÷ the best
 * plain `git clone` in hindsight, every candidate cloned plainly in the same run; beside it, our
 * whole first clone from a fresh home (the `mirror-clone` CLI: start, discovery with its
 * throughput measurement, transfer, top-up) ÷ that best. A 50 MB generated repository, the primary 250 ms round trip
 * away on 20 Mbit/s, and three fresh topologies:
 *   a. a near mirror on a thin link (3 ms, 10 Mbit/s) beside a far, fat one (60 ms, 200 Mbit/s):
 *      round trip and bandwidth disagree;
 *   b. a near, fat mirror 2 commits behind (frozen) beside a farther, thinner one that is current:
 *      the near one plus the top-up from the primary is the quicker way; the plain figure for a
 *      lagging mirror includes that top-up (a `git fetch` from the primary), since a clone that
 *      ends behind the primary is not done;
 *   c. two mirrors on equal links (20 ms, 100 Mbit/s): either is right; what costs is deciding.
 * Also reported for each: whether origin/* equals the primary's branches after our clone, and the
 * time to decide (`discover --json` from a fresh home, in full and as a clone decides, --quick)
 * with the throughput measurement it made, when it made one.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type MirrorDescription, type Topology } from '../fixtures/bitbucket/topology';
import { appendCommits } from '../fixtures/repogen/generate';
import { makeTempDir } from '../support/temp-dir';
import { buildCliBundle, cliClone, cliDiscover, countRequests, plainGitClone, plainGitFetch, refsDifferingFromPrimary } from './clone-runs';
import type { BenchReport } from './report';

const MBIT = 1_000_000 / 8;
const REPOSITORY = 'BENCH/repo';
const REPO_BYTES = 50_000_000;
const PRIMARY = { delayMs: 125, bandwidthBytesPerSec: 20 * MBIT };

interface Scenario {
  key: string;
  label: string;
  mirrors: MirrorDescription[];
  /** Commits that land on the primary after start-up; frozen mirrors do not get them. */
  commitsBehind?: number;
}

const scenarios: Scenario[] = [
  {
    key: 'a',
    label: 'near-thin vs far-fat',
    mirrors: [
      { name: 'near-thin', delayMs: 1.5, bandwidthBytesPerSec: 10 * MBIT },
      { name: 'far-fat', delayMs: 30, bandwidthBytesPerSec: 200 * MBIT },
    ],
  },
  {
    key: 'b',
    label: 'near 2 commits behind vs far current',
    mirrors: [
      { name: 'near-behind', delayMs: 2.5, bandwidthBytesPerSec: 200 * MBIT, frozen: true },
      { name: 'far-current', delayMs: 30, bandwidthBytesPerSec: 50 * MBIT },
    ],
    commitsBehind: 2,
  },
  {
    key: 'c',
    label: 'equal links',
    mirrors: [
      { name: 'east', delayMs: 10, bandwidthBytesPerSec: 100 * MBIT },
      { name: 'west', delayMs: 10, bandwidthBytesPerSec: 100 * MBIT },
    ],
  },
];

/** Plain `git clone` from one candidate, plus the top-up a person would fetch from the primary when it lags. */
async function plainFrom(topology: Topology, source: string, lagging: boolean, directory: string): Promise<number> {
  const repo = topology.repo('BENCH', 'repo');
  const token = topology.credentials.token;
  const url = source === 'primary' ? repo.httpUrl : repo.mirrorHttpUrl(source);
  const cloneMs = await plainGitClone(url, token, directory);
  return lagging ? cloneMs + (await plainGitFetch(repo.httpUrl, token, directory)) : cloneMs;
}

async function runScenario(scenario: Scenario, report: BenchReport, work: string): Promise<void> {
  const suite = 'regret';
  const name = (text: string) => `${scenario.key} (${scenario.label}): ${text}`;
  const topology = await startTopology({
    primary: PRIMARY,
    mirrors: scenario.mirrors,
    projects: [{ key: 'BENCH', repos: [{ slug: 'repo', sizeBytes: REPO_BYTES, commits: 40, seed: 'regret' }] }],
  });
  const parent = path.join(work, scenario.key);
  await mkdir(parent);
  try {
    const repo = topology.repo('BENCH', 'repo');
    if (scenario.commitsBehind) {
      // Written on the primary as a push would leave it; the mirrors that are not frozen fetch it.
      await appendCommits({ path: repo.diskPath, count: scenario.commitsBehind, bytesPerCommit: 256 * 1024, message: 'Not on the frozen mirror yet' });
      for (const mirror of scenario.mirrors.filter((m) => !m.frozen)) await topology.syncNow(mirror.name);
    }

    const plain: Record<string, number> = {};
    for (const source of ['primary', ...scenario.mirrors.map((m) => m.name)]) {
      const lagging = scenario.mirrors.find((m) => m.name === source)?.frozen === true && Boolean(scenario.commitsBehind);
      plain[source] = await plainFrom(topology, source, lagging, path.join(parent, `plain-${source}`));
      await rm(path.join(parent, `plain-${source}`), { recursive: true, force: true });
    }
    const [bestSource, bestMs] = Object.entries(plain).sort((x, y) => x[1] - y[1])[0]!;

    const counted = await countRequests(topology, 'primary', () => cliClone(topology, REPOSITORY, path.join(parent, 'ours'), path.join(parent, 'home')));
    const ours = counted.result;
    const differing = await refsDifferingFromPrimary(ours.path, repo.diskPath);
    const regret = ours.ms / bestMs;
    const plainAsText = Object.entries(plain).map(([source, ms]) => `${source} ${(ms / 1000).toFixed(1)} s`).join(', ');
    report.add({ suite, name: name(`plain git clone, best in hindsight: ${bestSource}`), value: bestMs / 1000, unit: 's', details: { plainMs: plain } });
    // The regret of the choice itself: how much slower the source chosen is than the best one, both
    // cloned plainly. The whole clone's own fixed costs (start, discovery, a first measurement, the
    // top-up) are reported beside it and, for a known primary, in the clone suite.
    const chosenPlainMs = plain[ours.source] ?? plain[ours.source.toLowerCase()];
    if (chosenPlainMs !== undefined) {
      const choiceRegret = chosenPlainMs / bestMs;
      report.add({ suite, name: name(`regret of the choice: plain git clone from the source chosen (${ours.source}) ÷ best`), value: choiceRegret, unit: 'x', target: '<= 1.10', met: choiceRegret <= 1.1 });
    }
    report.add({
      suite,
      name: name(`our whole first clone, cold (chose ${ours.source}) ÷ best`),
      value: regret,
      unit: 'x',
      details: { oursMs: ours.ms, transferMs: ours.transferMs, chosen: ours.source, best: bestSource, plain: plainAsText, toppedUpFromPrimary: ours.toppedUpFromPrimary, primaryRequests: counted.byPath, primaryConnections: counted.connections },
    });
    report.add({ suite, name: name("branches where origin/* differs from the primary's"), value: differing.length, unit: 'refs', target: '0', met: differing.length === 0, details: { differing, toppedUpFromPrimary: ours.toppedUpFromPrimary } });

    for (const quick of [false, true]) {
      const discovery = await cliDiscover(topology, REPOSITORY, path.join(parent, `discover-home-${quick ? 'quick' : 'full'}`), quick);
      const chosen = discovery.candidates.find((candidate) => candidate.chosen)?.name ?? 'none';
      const how = quick ? 'as a clone decides (--quick)' : 'in full';
      const details = {
        chosen,
        decidedBy: discovery.decidedBy ?? 'not reported',
        commandMs: discovery.ms,
        candidates: discovery.candidates.map(({ name: candidate, status, rttMs, throughputBytesPerSec, expectedMs }) => ({ candidate, status, rttMs, throughputBytesPerSec, expectedMs })),
      };
      const probe = discovery.throughputProbe;
      // null: deciding needed no throughput measurement; absent: this version does not say.
      const measured = probe === undefined ? 'not reported' : probe === null ? 'none' : `${(probe.bytes / 1e6).toFixed(2)} MB`;
      report.add({ suite, name: name(`time to decide, ${how} (chose ${chosen}, by ${details.decidedBy}; throughput measured: ${measured})`), value: discovery.durationMs ?? discovery.ms, unit: 'ms', details });
      if (probe) report.add({ suite, name: name(`throughput measurement while deciding ${how}: ${(probe.bytes / 1e6).toFixed(2)} MB from ${probe.servers} server(s)`), value: probe.durationMs, unit: 'ms', details: probe });
    }
  } finally {
    await topology.stop();
    await rm(parent, { recursive: true, force: true });
  }
}

export async function benchRegret(report: BenchReport): Promise<void> {
  const started = performance.now();
  await buildCliBundle();
  const work = await makeTempDir('bench-regret');
  try {
    for (const scenario of scenarios) await runScenario(scenario, report, work.path);
  } finally {
    await work.cleanup();
  }
  report.add({ suite: 'regret', name: 'this suite, start to end', value: (performance.now() - started) / 1000, unit: 's' });
}
