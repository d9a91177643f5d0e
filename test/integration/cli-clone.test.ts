/**
 * The command line as CI and scripts use it: MIRROR_CLONE_TOKEN, --json, exit codes; and the
 * human forms (the discover table, the host key confirmation) as people see them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { uploadPublicKey } from '../support/ssh-keys';
import { makeTempDir } from '../support/temp-dir';
import { runCliProcess } from '../support/cli';
import { gitConfig } from '../support/git';

const run = promisify(execFile);
let topology: Topology;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 20 }, mirrors: [{ name: 'near', delayMs: 1 }, { name: 'far-mirror', delayMs: 10 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }, { slug: 'tools' }] }] }),
    makeTempDir('cli-clone'),
  ]);
  const home = path.join(workspace.path, 'home');
  await mkdir(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const key = path.join(home, '.ssh', 'id_ecdsa');
  await run('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', key]);
  await uploadPublicKey(topology, `${key}.pub`);
  env = {
    ...process.env,
    HOME: home,
    MIRROR_CLONE_HOME: path.join(workspace.path, 'data'),
    MIRROR_CLONE_TOKEN: topology.credentials.token,
    GIT_SSH_COMMAND: `ssh -i ${key} -o IdentitiesOnly=yes -o UserKnownHostsFile=${path.join(home, '.ssh', 'known_hosts')}`,
  };
});

afterAll(async () => {
  await topology?.stop();
  await workspace?.cleanup();
});

const cli = (...args: string[]) => runCliProcess(args, { env });

describe('mirror-clone clone and switch', () => {
  it('clone --json prints the documented object', async () => {
    const target = path.join(workspace.path, 'json', 'repo');
    await mkdir(path.dirname(target));
    const result = await cli('clone', `${topology.primary.baseUrl}/projects/PROJ/repos/repo/browse`, target, '--json');
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    const repo = topology.repo('PROJ', 'repo');
    expect(output).toMatchObject({ path: target, source: { name: 'near', kind: 'mirror', url: repo.mirrorHttpUrl('near') }, fetchUrl: repo.mirrorHttpUrl('near'), pushUrl: repo.httpUrl, engine: 'native', toppedUpFromPrimary: [] });
    expect(output.durationMs).toBeGreaterThan(0);
  });

  it('discover prints a table with the chosen one marked and the reason', async () => {
    const result = await cli('discover', `${topology.primary.baseUrl}/projects/PROJ/repos/repo`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^▶ near\s+mirror\s+healthy\s+\d/m);
    expect(result.stdout).toMatch(/^ {2}Primary\s+primary\s+healthy/m);
    expect(result.stdout).toMatch(/^Chosen: near: .* ms median vs /m);
    expect(result.stdout).toContain('Warning: some servers use plain http');
  });

  it('switch --all moves every clone under a folder and reports each', async () => {
    const folder = path.join(workspace.path, 'json');
    const result = await cli('switch', '--all', folder, '--mirror', 'far-mirror', '--json');
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.switched).toHaveLength(1);
    expect(output.switched[0]).toMatchObject({ changed: true, to: { name: 'far-mirror' } });
    expect(await gitConfig(path.join(folder, 'repo'), 'remote.origin.url')).toBe(topology.repo('PROJ', 'repo').mirrorHttpUrl('far-mirror'));
  });

  it('a repository that does not exist: exit 1 and a message on stderr', async () => {
    const result = await cli('clone', 'PROJ/nothing', path.join(workspace.path, 'nothing'), '--primary', topology.primary.baseUrl);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('PROJ/nothing does not exist');
  });

  it('over SSH, shows unknown host keys and clones once the user confirms them', async () => {
    const target = path.join(workspace.path, 'ssh', 'tools');
    await mkdir(path.dirname(target));
    const first = await cli('clone', 'PROJ/tools', target, '--primary', topology.primary.baseUrl, '--protocol', 'ssh');
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('is not known on this computer yet');
    expect(first.stderr).toContain(`${topology.primary.ssh!.hostKeyFingerprint} (matches what the primary advertises)`);
    const fingerprints = [...first.stderr.matchAll(/SHA256:[A-Za-z0-9+/=]+/g)].map((match) => match[0]);
    const confirmed = [...new Set(fingerprints)].flatMap((fingerprint) => ['--trust-host-key', fingerprint]);
    const second = await cli('clone', 'PROJ/tools', target, '--primary', topology.primary.baseUrl, '--protocol', 'ssh', ...confirmed, '--json');
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ source: { name: 'near' }, pushUrl: topology.repo('PROJ', 'tools').sshUrl });
  });
});

describe('mirror-clone manners', () => {
  it('says what it is doing at once, before any request reaches the primary, and ends on a summary', async () => {
    // A slow primary: the first request reaches it a good while after the command starts.
    topology.setShape('primary', { delayMs: 400 });
    try {
      const requestsBefore = topology.state.requestLog.length;
      let first: { stream: string; text: string; requestsSeen: number } | undefined;
      const target = path.join(workspace.path, 'manners', 'repo');
      await mkdir(path.dirname(target));
      const result = await runCliProcess(['clone', 'PROJ/repo', target, '--primary', topology.primary.baseUrl], {
        env,
        onOutput: (stream, text) => (first ??= { stream, text, requestsSeen: topology.state.requestLog.length }),
      });
      expect(result.code, result.stderr).toBe(0);
      expect(first).toMatchObject({ stream: 'stderr', requestsSeen: requestsBefore });
      expect(first!.text.split('\n')[0]).toBe('Finding the closest server for PROJ/repo…');
      expect(topology.state.requestLog.length).toBeGreaterThan(requestsBefore);
      // Ends on what was done, in the app's units, never on a spent progress line.
      expect(result.stdout).toMatch(new RegExp(`^Cloned into ${target} from near \\(mirror\\): [\\d.]+ (KB|MB) in [\\d.]+ s \\([\\d.]+ (KB|MB)/s\\); [\\d.]+ s in all\\.$`, 'm'));
      expect(result.stdout + result.stderr).not.toMatch(/MiB|KiB|ETA/);
    } finally {
      topology.setShape('primary', { delayMs: 20 });
    }
  });

  it('finds PROJECT/repo with only MIRROR_CLONE_TOKEN and MIRROR_CLONE_PRIMARY set (nothing connected)', async () => {
    const result = await runCliProcess(['discover', 'PROJ/repo', '--json'], { env: { ...env, MIRROR_CLONE_PRIMARY: topology.primary.baseUrl } });
    expect(result.code, result.stderr).toBe(0);
    // Found on the named primary, signed in with the token: every server holding it is listed, one chosen.
    const output = JSON.parse(result.stdout) as {
      decidedBy: string;
      durationMs: number;
      throughputProbe: unknown;
      candidates: { name: string; kind: string; baseUrl: string; chosen: boolean; expectedMs: unknown }[];
    };
    expect(output.candidates.find((candidate) => candidate.kind === 'primary')?.baseUrl).toBe(topology.primary.baseUrl);
    expect(output.candidates.map((candidate) => candidate.name).sort()).toEqual(['Primary', 'far-mirror', 'near'].sort());
    expect(output.candidates.filter((candidate) => candidate.chosen)).toHaveLength(1);
    // What decided and what deciding cost, for scripts and the benchmarks.
    expect(output.durationMs).toBeGreaterThan(0);
    expect(output.decidedBy).toBeTypeOf('string');
    expect(output).toHaveProperty('throughputProbe');
    for (const candidate of output.candidates) expect(candidate).toHaveProperty('expectedMs');
  });

  it('without a primary, PROJECT/repo is a usage mistake (exit 2) with terminal advice', async () => {
    const result = await cli('discover', 'PROJ/repo');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No primary is connected');
    expect(result.stderr).toContain('Pass --primary URL (or set MIRROR_CLONE_PRIMARY');
    expect(result.stderr).not.toMatch(/paste|click|button/i);
  });

  it('a reference that is not one exits 2 before any network, with terminal advice', async () => {
    const requestsBefore = topology.state.requestLog.length;
    const result = await cli('clone', 'PROJ/not a repo!', path.join(workspace.path, 'never'), '--primary', topology.primary.baseUrl);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('"PROJ/not a repo!" is not a repository reference');
    expect(result.stderr).toContain('Pass a clone URL or repository page URL, or PROJECT/repo');
    expect(result.stderr).not.toMatch(/paste|click|button/i);
    expect(topology.state.requestLog.length).toBe(requestsBefore);
  });

  it.each([
    ['an unknown option', ['clone', 'PROJ/repo', '--frobnicate']],
    ['a missing repository', ['clone']],
    ['a bad --depth', ['clone', 'PROJ/repo', '--depth', 'none']],
    ['a malformed reference to discover', ['discover', 'https://']],
  ])('%s exits 2', async (_, args) => {
    const result = await cli(...args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^mirror-clone: /);
  });
});
