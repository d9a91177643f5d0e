/**
 * keys.check travels the way the user's ssh configuration says, as their clones do: here the
 * primary is reached through a jump host (ProxyJump), a real sshd that only forwards. The login
 * shows up in the jump host's log, and with the jump host gone the check says the server cannot
 * be reached instead of going around it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startSshd, type SshdInstance } from '../fixtures/ssh/sshd';
import { uploadPublicKey } from '../support/ssh-keys';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
let topology: Topology;
let jumpHost: SshdInstance;
let helper: InProcessHelper;
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, temp] = await Promise.all([startTopology({ projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }), makeTempDir('keys-route')]);
  const sshFolder = path.join(temp.path, 'home', '.ssh');
  await mkdir(sshFolder, { recursive: true, mode: 0o700 });
  const key = path.join(sshFolder, 'id_ecdsa');
  await run('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-C', 'ecdsa@laptop', '-f', key]);
  await uploadPublicKey(topology, `${key}.pub`);

  jumpHost = await startSshd({ workDir: path.join(temp.path, 'jump-host'), repoRoot: path.join(temp.path, 'jump-host-repos'), writable: false, jumpHost: true });
  await jumpHost.writeAuthorizedKeys([(await readFile(`${key}.pub`, 'utf8')).trim()]);
  const knownHosts = path.join(sshFolder, 'known_hosts');
  await writeFile(knownHosts, `${topology.primary.ssh!.knownHostsLine}\n${jumpHost.knownHostsLine}\n`);
  // The company's way in: every server at 127.0.0.1 through the bastion, the bastion directly.
  const config = path.join(sshFolder, 'config');
  await writeFile(config, [
    'Host 127.0.0.1',
    '  ProxyJump bastion',
    'Host bastion',
    '  HostName 127.0.0.1',
    `  Port ${jumpHost.port}`,
    `  User ${jumpHost.user}`,
    `  IdentityFile ${key}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${knownHosts}`,
    '',
  ].join('\n'));
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, knownHostsFile: knownHosts, sshFolder, sshConfigFile: config, agentSocket: null });
});

afterAll(async () => {
  await helper?.stop();
  await jumpHost?.stop();
  await topology?.stop();
  await temp?.cleanup();
});

const primaryOutcome = async () => {
  const check = await helper.client.call('keys.check', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
  return check.servers.find((server) => server.kind === 'primary')!.results[0]!;
};

describe('keys.check behind a jump host', () => {
  it('logs in through the jump host the ssh configuration names', async () => {
    expect(await primaryOutcome()).toMatchObject({ outcome: 'accepted' });
    expect(jumpHost.recentLog()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/);
  });

  it('says the server cannot be reached when the jump host is down, rather than going around it', async () => {
    await jumpHost.stop();
    const result = await primaryOutcome();
    expect(result.outcome).toBe('unreachable');
  });
});
