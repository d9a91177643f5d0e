/**
 * How fast the command line starts: time to its first output line (a real command, `discover`,
 * which says what it is doing at once) and to the end of `--version`, run through the tsx
 * TypeScript loader (as `npm run mirror-clone` did, and the CLI tests still do) and through the
 * bin launcher running the built bundle (as the installed command does), alternating in one run;
 * and the bundle run directly, for what the launcher's check for changed sources adds.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { makeTempDir } from '../support/temp-dir';
import { median, type BenchReport } from './report';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const runs = 7;

const ways = {
  tsx: [process.execPath, '--import', 'tsx', path.join(repoRoot, 'electron/cli/main.ts')],
  bundle: [process.execPath, path.join(repoRoot, 'bin/mirror-clone.mjs')],
  // The bundle without the launcher: what its check for changed sources costs.
  direct: [process.execPath, path.join(repoRoot, 'dist/electron/cli.js')],
} as const;

interface Timing {
  firstLineMs: number;
  exitMs: number;
}

function timeCommand(way: readonly string[], args: string[], env: NodeJS.ProcessEnv): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstLineMs: number | undefined;
    const child = spawn(way[0]!, [...way.slice(1), ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Off a terminal, what a command is doing goes to stderr (stdout keeps its results): a line
    // on either counts.
    const onData = (chunk: Buffer) => {
      if (firstLineMs === undefined && chunk.includes('\n')) firstLineMs = performance.now() - started;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', () => {
      const exitMs = performance.now() - started;
      if (firstLineMs === undefined) reject(new Error(`${way.join(' ')} ${args.join(' ')} printed no line`));
      else resolve({ firstLineMs, exitMs });
    });
  });
}

export async function benchCliStart(report: BenchReport): Promise<void> {
  const home = await makeTempDir('bench-cli');
  try {
    // The primary is a closed port on this machine: the command prints its first line, then fails
    // at once, so what is timed is the start and not the network.
    const env = { ...process.env, MIRROR_CLONE_HOME: home.path, MIRROR_CLONE_TOKEN: 'bench-token' };
    const discover = ['discover', 'PROJ/repo', '--primary', 'http://127.0.0.1:9'];
    // One run each first: the launcher rebuilds a stale bundle, and disk caches warm up.
    await timeCommand(ways.bundle, ['--version'], env);
    await timeCommand(ways.tsx, ['--version'], env);

    const firstLine = { tsx: [] as number[], bundle: [] as number[], direct: [] as number[] };
    const version = { tsx: [] as number[], bundle: [] as number[], direct: [] as number[] };
    for (let run = 0; run < runs; run += 1) {
      for (const way of ['tsx', 'bundle', 'direct'] as const) {
        firstLine[way].push((await timeCommand(ways[way], discover, env)).firstLineMs);
        version[way].push((await timeCommand(ways[way], ['--version'], env)).exitMs);
      }
    }
    for (const [label, times] of [['discover, first line', firstLine], ['--version, to exit', version]] as const) {
      const tsx = median(times.tsx);
      const bundle = median(times.bundle);
      report.add({ suite: 'cli', name: `${label}: tsx loader, median of ${runs}`, value: tsx, unit: 'ms', details: { times: times.tsx } });
      report.add({ suite: 'cli', name: `${label}: bundle via bin launcher, median of ${runs}`, value: bundle, unit: 'ms', details: { times: times.bundle } });
      report.add({ suite: 'cli', name: `${label}: tsx / bundle`, value: tsx / bundle, unit: 'x', target: '> 1 (the bundle is faster)', met: tsx > bundle });
      const direct = median(times.direct);
      report.add({ suite: 'cli', name: `${label}: launcher / bundle run directly`, value: bundle / direct, unit: 'x', details: { times: times.direct } });
    }
  } finally {
    await home.cleanup();
  }
}
