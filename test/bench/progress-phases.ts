/**
 * `npx tsx test/bench/progress-phases.ts [runs]`: how a clone's wall time splits over git's
 * progress phases, for the weights in electron/helper/git/progress.ts. A generated 50 MB
 * repository (40 commits, the demo's monorepo shape) behind a mirror on a shaped link (40 ms
 * each way, 5 MB/s), cloned by plain git with its progress; a phase's share is the time from its
 * first line to the next phase's first line, over the time from the first progress line to exit.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTopology } from '../fixtures/bitbucket/topology';
import { parseProgressLine } from '../../electron/helper/git/progress-line';

const phaseOf: Record<string, string> = {
  'Enumerating objects': 'counting',
  'Counting objects': 'counting',
  'Compressing objects': 'compressing',
  'Receiving objects': 'receiving',
  'Resolving deltas': 'resolving',
  'Checking objects': 'resolving',
  'Checking connectivity': 'resolving',
  'Updating files': 'checking-out',
};

function timedClone(url: string, directory: string, token: string): Promise<{ firsts: Map<string, number>; endMs: number; startMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const origin = new URL(url).origin;
    const child = spawn('git', ['clone', '--progress', '--', url, directory], {
      env: { PATH: process.env.PATH, HOME: tmpdir(), GIT_PROGRESS_DELAY: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: Bearer ${token}` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const firsts = new Map<string, number>();
    let pending = '';
    let startMs: number | undefined;
    child.stderr.on('data', (chunk: Buffer) => {
      const at = performance.now() - started;
      const parts = (pending + chunk.toString()).split(/[\r\n]/);
      pending = parts.pop()!;
      for (const raw of parts) {
        const line = parseProgressLine(raw);
        const phase = line && phaseOf[line.title];
        if (!phase) continue;
        startMs ??= at;
        if (!firsts.has(phase)) firsts.set(phase, at);
      }
    });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve({ firsts, endMs: performance.now() - started, startMs: startMs ?? 0 }) : reject(new Error(`git clone exited ${code}`))));
  });
}

const runs = Number(process.argv[2] ?? 3);
const temp = await mkdtemp(path.join(tmpdir(), 'progress-phases-'));
const world = await startTopology({
  primary: { delayMs: 5 },
  mirrors: [{ name: 'shaped', delayMs: 40, bandwidthBytesPerSec: 5_000_000 }],
  projects: [{ key: 'BIG', repos: [{ slug: 'monorepo', sizeBytes: 50_000_000, commits: 40 }] }],
});
try {
  const url = world.repo('BIG', 'monorepo').mirrorHttpUrl('shaped');
  const order = ['counting', 'compressing', 'receiving', 'resolving', 'checking-out'];
  for (let run = 0; run < runs; run += 1) {
    const { firsts, endMs, startMs } = await timedClone(url, path.join(temp, `c${run}`), world.credentials.token);
    const seen = order.filter((phase) => firsts.has(phase));
    const total = endMs - startMs;
    const shares = seen.map((phase, index) => {
      const end = index + 1 < seen.length ? firsts.get(seen[index + 1]!)! : endMs;
      return `${phase} ${(((end - firsts.get(phase)!) / total) * 100).toFixed(1)}%`;
    });
    console.log(`run ${run + 1}: ${(total / 1000).toFixed(1)} s from the first progress line (${(startMs / 1000).toFixed(2)} s before it): ${shares.join(', ')}`);
  }
} finally {
  await world.stop();
  await rm(temp, { recursive: true, force: true });
}
