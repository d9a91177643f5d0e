/**
 * A big repository cloned in steps over SSH: the same complete clone as over HTTP, and a link
 * that goes silent mid-step is noticed by ssh's keepalive (the step ends instead of hanging) so
 * the clone continues from its last complete step.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { realisticHistory } from '../fixtures/bitbucket/repo-population';
import { setUpSshUser, type SshUser } from '../support/ssh-keys';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { cloneAndWait } from '../support/clone-job';
import { git } from '../support/git';

const bigBytes = 6_000_000;
const steps = { minimumBytes: 2_000_000, stepBytes: 1_000_000, stallSeconds: 2 };

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let sshUser: SshUser | undefined;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({
      primary: { delayMs: 10 },
      mirrors: [{ name: 'near', delayMs: 2, bandwidthBytesPerSec: 8_000_000 }],
      projects: [{ key: 'PROJ', repos: [{ slug: 'big', sizeBytes: bigBytes, seed: 11, branches: ['feature'], tags: ['v1'], ...realisticHistory() }] }],
    }),
    makeTempDir('clone-steps-ssh'),
  ]);
  sshUser = await setUpSshUser(topology, workspace.path, [topology.primary, topology.mirrors.near!].map((instance) => instance.ssh!.knownHostsLine));
  helper = await startInProcessHelper({
    environmentToken: topology.credentials.token,
    knownHostsFile: sshUser.knownHosts,
    cloneRetry: { attemptsPerSource: 2, backoff: { baseMs: 20, maxMs: 50, jitter: 0 } },
    cloneSteps: steps,
  });
}, 60_000);

afterAll(async () => {
  sshUser?.restore();
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

afterEach(() => topology.setFault('near', { kind: 'none' }));

async function cloneFromNear(name: string) {
  const parent = path.join(workspace.path, name);
  await mkdir(parent);
  const job = await cloneAndWait(helper.client, { repository: 'PROJ/big', parentDirectory: parent, primary: topology.primary.baseUrl, protocol: 'ssh', source: 'near' });
  return { job, clonePath: path.join(parent, 'big'), parent };
}

/** The clone is complete: every branch and tag of the primary, not shallow, fsck clean. */
async function expectComplete(clonePath: string): Promise<void> {
  const primary = topology.repo('PROJ', 'big').diskPath;
  const primaryRefs = (await git(primary, 'for-each-ref', '--format=%(refname:lstrip=2) %(objectname)', 'refs/heads', 'refs/tags')).split('\n').sort();
  const cloneRefs = (await git(clonePath, 'for-each-ref', '--format=%(refname:lstrip=2) %(objectname)', 'refs/remotes/origin', 'refs/tags'))
    .split('\n')
    .filter((line) => !line.startsWith('origin/HEAD '))
    .map((line) => line.replace(/^origin\//, ''))
    .sort();
  expect(cloneRefs).toEqual(primaryRefs);
  expect(await git(clonePath, 'rev-parse', '--is-shallow-repository')).toBe('false');
  expect(await git(clonePath, 'fsck', '--no-dangling', '--strict')).toBe('');
  expect(await git(clonePath, 'status', '--porcelain')).toBe('');
}

describe('a big repository in steps over SSH', () => {
  it('goes in steps and ends in a complete clone', async () => {
    const { job, clonePath, parent } = await cloneFromNear('clean');
    expect(job.state, JSON.stringify([job.error, job.attempts])).toBe('done');
    expect(job.result!.reason).toContain('in steps');
    expect(job.result!.fetchUrl).toBe(topology.repo('PROJ', 'big').mirrorSshUrl('near'));
    await expectComplete(clonePath);
    expect(await readdir(parent)).toEqual(['big']);
  });

  it('a link gone silent mid-step is given up and the clone continues', async () => {
    topology.setFault('near', { kind: 'stall-after-bytes', bytes: Math.round(bigBytes * 0.5), times: 1, counted: 'since-set' }, 'ssh');
    const started = performance.now();
    const { job, clonePath } = await cloneFromNear('stall');
    expect(job.state, JSON.stringify([job.error, job.attempts])).toBe('done');
    expect(job.attempts.map((attempt) => `${attempt.source.name} ${attempt.ok}`)).toEqual(['near false', 'near true']);
    // ssh gave up after its keepalives went unanswered (a few seconds), not after TCP's minutes.
    expect(performance.now() - started).toBeLessThan(40_000);
    await expectComplete(clonePath);
  }, 60_000);
});
