/**
 * An LFS-heavy repository (a 2 MB history, 120 MB in Git LFS) side by side in one run, the
 * primary 250 ms round trip away on a 20 Mbit/s link and a mirror 5 ms away on a 100 Mbit/s one
 * that already holds the objects (it has served them before). Each link is shared by all the
 * connections to that server, as a real link is: git-lfs opens up to 8 at once, and on a link
 * capped per connection the far primary would deliver 8 x 20 Mbit/s.
 *   - our whole clone (the CLI: discovery, transfer, top-up, LFS phase) from the near mirror vs
 *     plain `git clone` from the far primary with git-lfs smudging each file as it checks out;
 *   - our clone vs plain `git clone` + `git lfs pull` from the same near mirror (our overhead);
 *   - the second clone with a local mirror (which keeps the LFS objects) vs the second clone without.
 * The emulator runs in this process; the CLI, git and git-lfs run in their own.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { makeTempDir } from '../support/temp-dir';
import { buildCliBundle, cliClone, repoRoot } from './clone-runs';
import type { BenchReport } from './report';

const run = promisify(execFile);
const MB = 1024 * 1024;
const LFS_BYTES = 120 * MB;
/** 20 Mbit/s to the far primary, 100 Mbit/s to the near mirror, in bytes per second. */
const FAR_LINK = 2_500_000;
const NEAR_LINK = 12_500_000;

/** `git clone` (git-lfs fetches each file through its smudge filter) and, to be sure, `git lfs pull`. */
async function plainClone(topology: Topology, url: string, directory: string): Promise<number> {
  const origin = new URL(url).origin;
  const env = { ...process.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: Bearer ${topology.credentials.token}` };
  const started = performance.now();
  await run('git', ['clone', '--quiet', '--', url, directory], { env, maxBuffer: 1 << 24 });
  await run('git', ['lfs', 'pull'], { cwd: directory, env, maxBuffer: 1 << 24 });
  return performance.now() - started;
}

async function holdsRealContents(topology: Topology, clone: string): Promise<boolean> {
  for (const file of topology.lfs.files('BENCH', 'media')) {
    const digest = createHash('sha256').update(await readFile(path.join(clone, file.path))).digest('hex');
    if (digest !== file.oid) return false;
  }
  return true;
}

export async function benchLfs(report: BenchReport): Promise<void> {
  await buildCliBundle();
  console.log(`  (generating a repository with ${LFS_BYTES / MB} MB in LFS...)`);
  const topology = await startTopology({
    primary: { delayMs: 125, bandwidthBytesPerSec: FAR_LINK, sharedBandwidth: true },
    mirrors: [{ name: 'near', delayMs: 2.5, bandwidthBytesPerSec: NEAR_LINK, sharedBandwidth: true }],
    projects: [{ key: 'BENCH', repos: [{ slug: 'media', sizeBytes: 2 * MB, lfsBytes: LFS_BYTES, lfsFiles: 30, seed: 7 }] }],
  });
  const work = await makeTempDir('bench-lfs');
  try {
    await topology.lfs.copyToMirror('near', 'BENCH', 'media');
    const repo = topology.repo('BENCH', 'media');
    const parent = path.join(work.path, 'runs');
    await mkdir(parent);

    const ours = await cliClone(topology, 'BENCH/media', path.join(parent, 'ours'), path.join(work.path, 'home'));
    if (!(await holdsRealContents(topology, ours.path))) throw new Error('our clone lacks the large files');
    const nearPlain = await plainClone(topology, repo.mirrorHttpUrl('near'), path.join(parent, 'plain-near'));
    const far = await plainClone(topology, repo.httpUrl, path.join(parent, 'plain-far'));
    if (!(await holdsRealContents(topology, path.join(parent, 'plain-far')))) throw new Error('the plain clone lacks the large files');

    // The second clone: once more without a local mirror, then with one that holds the LFS objects.
    const withoutLocal = await cliClone(topology, 'BENCH/media', path.join(parent, 'second-without'), path.join(work.path, 'home'));
    const cachedHome = path.join(work.path, 'home-with-local-mirror');
    const cli = path.join(repoRoot, 'dist', 'electron', 'cli.js');
    await run(process.execPath, [cli, 'local-mirrors', 'add', 'BENCH/media', '--primary', topology.primary.baseUrl], { env: { ...process.env, MIRROR_CLONE_HOME: cachedHome, MIRROR_CLONE_TOKEN: topology.credentials.token } });
    const withLocal = await cliClone(topology, 'BENCH/media', path.join(parent, 'second-with'), cachedHome);
    if (!(await holdsRealContents(topology, withLocal.path))) throw new Error('the clone with a local mirror lacks the large files');
    if (!existsSync(path.join(cachedHome, 'mirrors'))) throw new Error('no local mirror was made');

    report.add({ suite: 'lfs', name: `media (${LFS_BYTES / MB} MB LFS): plain git clone + lfs from the far primary`, value: far / 1000, unit: 's' });
    report.add({ suite: 'lfs', name: `media: our clone (chose ${ours.source}, LFS from there)`, value: ours.ms / 1000, unit: 's' });
    report.add({ suite: 'lfs', name: 'media: our clone from the near mirror, speed-up over the far primary', value: far / ours.ms, unit: 'x', details: { farMs: far, oursMs: ours.ms, links: { farBytesPerSec: FAR_LINK, nearBytesPerSec: NEAR_LINK, shared: true } } });
    // Ours includes discovery (the far primary's REST, measurements) and the top-up check; plain git knows where to go.
    report.add({ suite: 'lfs', name: 'media: second clone with a local mirror vs without', value: withLocal.ms / withoutLocal.ms, unit: 'x', details: { withMs: withLocal.ms, withoutMs: withoutLocal.ms } });
    report.add({ suite: 'lfs', name: 'media: our whole clone vs plain git clone + lfs pull from the same mirror', value: ours.ms / nearPlain, unit: 'x', details: { oursMs: ours.ms, plainMs: nearPlain } });
  } finally {
    await topology.stop();
    await work.cleanup();
  }
}
