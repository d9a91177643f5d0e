/**
 * The CLI with a real OS keychain (gnome-keyring on a private D-Bus session): `login` puts the
 * token there and nowhere else; later commands find it; `logout` removes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { makeTempDir } from '../support/temp-dir';
import { runCliProcess } from '../support/cli';

let topology: Topology;
let keyring: TestKeyring;
let home: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, keyring, home] = await Promise.all([
    startTopology({ primary: { delayMs: 15 }, mirrors: [{ name: 'near', delayMs: 1 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }),
    startTestKeyring(),
    makeTempDir('keychain-home'),
  ]);
});

afterAll(async () => {
  await topology?.stop();
  await keyring?.stop();
  await home?.cleanup();
});

const cli = (args: string[], input?: string) => {
  const env: NodeJS.ProcessEnv = { ...keyring.env, MIRROR_CLONE_HOME: home.path };
  delete env.MIRROR_CLONE_TOKEN;
  return runCliProcess(args, { env, input });
};

async function everyFileUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => readFile(path.join(entry.parentPath, entry.name), 'utf8')));
}

describe('login with the OS keychain', () => {
  it('refuses a wrong token without storing anything', async () => {
    const result = await cli(['login', topology.primary.baseUrl, '--token-stdin'], 'wrong-token\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refused the credentials');
    expect(result.stderr).not.toContain('wrong-token');
    expect((await cli(['primaries', '--json'])).stdout.trim()).toBe('[]');
  });

  it('stores the token in the keychain only, and later commands use it', async () => {
    const { token } = topology.credentials;
    const login = await cli(['login', topology.primary.baseUrl, '--token-stdin'], `${token}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`at ${topology.primary.baseUrl}`);
    expect(login.stdout + login.stderr).not.toContain(token);

    for (const contents of await everyFileUnder(home.path)) expect(contents).not.toContain(token);

    const discover = await cli(['discover', 'PROJ/repo', '--quick', '--json']);
    expect(discover.code, discover.stderr).toBe(0);
    const result = JSON.parse(discover.stdout);
    expect(result.candidates.find((candidate: { chosen: boolean }) => candidate.chosen).name).toBe('near');
  });

  it('finds the primary from a mirror clone URL once discovery has seen the mirror', async () => {
    const mirrorUrl = topology.repo('PROJ', 'repo').mirrorHttpUrl('near');
    const discover = await cli(['discover', mirrorUrl, '--quick', '--json']);
    expect(discover.code, discover.stderr).toBe(0);
    expect(JSON.parse(discover.stdout).repository.primaryBaseUrl).toBe(topology.primary.baseUrl);
  });

  it('uses mirrors added by hand when the primary advertises none', async () => {
    topology.setMirroringAvailable(false);
    try {
      const add = await cli(['mirrors', 'add', 'hand-made', topology.mirrors.near!.baseUrl]);
      expect(add.code, add.stderr).toBe(0);
      const discover = await cli(['discover', 'PROJ/repo', '--quick', '--json']);
      expect(discover.code, discover.stderr).toBe(0);
      const result = JSON.parse(discover.stdout);
      expect(result.mirroring).toBe('not-available');
      expect(result.candidates.find((candidate: { chosen: boolean }) => candidate.chosen)).toMatchObject({ name: 'hand-made', kind: 'mirror', cloneUrls: { http: topology.repo('PROJ', 'repo').mirrorHttpUrl('near') } });
    } finally {
      topology.setMirroringAvailable(true);
    }
  });

  it('sends the token to a mirror added by hand only once allowed by its host name', async () => {
    const host = new URL(topology.mirrors.near!.baseUrl).host;
    const unnamed = await cli(['mirrors', 'allow', 'hand-made']);
    expect(unnamed.code).not.toBe(0);
    expect(unnamed.stderr).toContain(`mirrors allow "hand-made" --send-token-to ${host}`);
    const wrong = await cli(['mirrors', 'allow', 'hand-made', '--send-token-to', 'mirror.example.net']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`"mirror.example.net" is not the host of hand-made (${host})`);
    expect((await cli(['primaries'])).stdout).toContain('asked without your token');

    const allowed = await cli(['mirrors', 'allow', 'hand-made', '--send-token-to', host]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toBe(`Your token for ${new URL(topology.primary.baseUrl).host} is now sent to ${host} (mirror "hand-made").\n`);
    expect((await cli(['primaries'])).stdout).toContain(`your token is sent to ${host}`);
    const denied = await cli(['mirrors', 'deny', 'hand-made']);
    expect(denied.code, denied.stderr).toBe(0);
    expect((await cli(['primaries'])).stdout).toContain('asked without your token');
  });

  it('forgets the token on logout', async () => {
    const logout = await cli(['logout', topology.primary.baseUrl]);
    expect(logout.code).toBe(0);
    const discover = await cli(['discover', `${topology.primary.baseUrl}/projects/PROJ/repos/repo`, '--quick']);
    expect(discover.code).toBe(1);
    expect(discover.stderr).toContain('needs you to sign in');
  });
});
