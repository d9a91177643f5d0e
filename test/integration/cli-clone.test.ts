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
