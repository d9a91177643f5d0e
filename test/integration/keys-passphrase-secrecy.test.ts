/**
 * A key's passphrase is never where another local user could read it: in no process's arguments
 * or environment (/proc/<pid>/cmdline and /proc/<pid>/environ, watched in a tight loop while keys
 * are made, and recorded by stand-ins for ssh-keygen and ssh-add), with OpenSSH installed and
 * without it. The keys are encrypted with it (opened by that passphrase only), and a real sshd
 * accepts one loaded into a real ssh-agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { runCliProcess } from '../support/cli';
import { startInProcessHelper } from '../support/in-process-helper';
import { tracedRuns, watchProcessesFor, writeTracingStandIns } from '../support/secret-watch';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let standIns: string;

beforeAll(async () => {
  temp = await makeTempDir('passphrase-secrecy');
  standIns = path.join(temp.path, 'stand-ins');
  await mkdir(standIns);
  await writeTracingStandIns(standIns, ['ssh-keygen', 'ssh-add']);
});
afterAll(() => temp?.cleanup());

/** Random, so no process holds it by chance; with spaces and shell characters, as people type them. */
const newPassphrase = () => `my dog's name & $(${randomBytes(12).toString('hex')})`;

const openWith = async (privateKeyPath: string, passphrase: string) => (await run('ssh-keygen', ['-y', '-P', passphrase, '-f', privateKeyPath])).stdout.trim();

async function generateWithCli(name: string, pathVariable: string, args: string[], passphrase: string) {
  const home = path.join(temp.path, name);
  await mkdir(home);
  const watch = await watchProcessesFor(passphrase);
  const result = await runCliProcess(['keys', 'generate', ...args, '--passphrase-stdin', '--json'], {
    env: { ...process.env, PATH: pathVariable, HOME: home, MIRROR_CLONE_HOME: path.join(home, 'data') },
    input: `${passphrase}\n`,
  });
  const report = await watch.stop();
  return { result, report, home };
}

describe('keys generate --passphrase-stdin', () => {
  it('with OpenSSH installed: the passphrase is in no process list or environment, and ssh-keygen is not run', async () => {
    const passphrase = newPassphrase();
    const { result, report, home } = await generateWithCli('with-openssh', `${standIns}:${process.env.PATH}`, ['--type', 'ed25519', '--comment', 'dev@laptop'], passphrase);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const made = JSON.parse(result.stdout) as { privateKeyPath: string; publicKey: string };
    expect(made.privateKeyPath).toBe(path.join(home, '.ssh', 'id_ed25519'));

    // The watch really ran while the key was made: it saw the CLI itself.
    expect(report.processes.some((args) => args.includes('keys generate --type ed25519'))).toBe(true);
    expect(report.passes).toBeGreaterThan(1);
    expect(report.hits).toEqual([]);
    expect(await tracedRuns(standIns, 'ssh-keygen')).toBe('');
    expect(result.stdout).not.toContain(passphrase);

    expect(await openWith(made.privateKeyPath, passphrase)).toBe(made.publicKey);
    await expect(openWith(made.privateKeyPath, `${passphrase}x`)).rejects.toThrow(/incorrect passphrase/);
  });

  it('without OpenSSH on the PATH: an encrypted key all the same, the passphrase nowhere to be seen', async () => {
    const bin = path.join(temp.path, 'bin-without-openssh');
    await mkdir(bin);
    // git only: the helper looks for it; ssh-keygen, ssh and ssh-add are not there.
    await symlink((await run('sh', ['-c', 'command -v git'])).stdout.trim(), path.join(bin, 'git'));
    await expect(run('sh', ['-c', 'command -v ssh-keygen'], { env: { PATH: bin } })).rejects.toThrow();

    const passphrase = newPassphrase();
    const { result, report } = await generateWithCli('without-openssh', bin, ['--type', 'rsa', '--bits', '3072'], passphrase);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const made = JSON.parse(result.stdout) as { privateKeyPath: string; publicKey: string; bits: number };
    expect(made.bits).toBe(3072);
    expect(report.processes.some((args) => args.includes('keys generate --type rsa'))).toBe(true);
    expect(report.hits).toEqual([]);

    expect(await openWith(made.privateKeyPath, passphrase)).toBe(made.publicKey);
    await expect(openWith(made.privateKeyPath, '')).rejects.toThrow(/incorrect passphrase/);
  });

  it('a passphrase on two lines is refused with what to do, and not repeated', async () => {
    const passphrase = newPassphrase();
    const home = path.join(temp.path, 'two-lines');
    await mkdir(home);
    const result = await runCliProcess(['keys', 'generate', '--type', 'ed25519', '--passphrase-stdin'], {
      env: { ...process.env, HOME: home, MIRROR_CLONE_HOME: path.join(home, 'data') },
      input: `${passphrase}\nsecond line\n`,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('one line');
    expect(result.stdout + result.stderr).not.toContain(passphrase);
    expect(await readdir(path.join(home, '.ssh')).catch(() => [])).toEqual([]);
  });
});

describe('keys generate --bits', () => {
  it('refuses a size no type has, and one the type does not have, naming the sizes there are', async () => {
    const home = path.join(temp.path, 'bad-bits');
    await mkdir(home);
    const env = { ...process.env, HOME: home, MIRROR_CLONE_HOME: path.join(home, 'data') };
    const none = await runCliProcess(['keys', 'generate', '--type', 'rsa', '--bits', '1024'], { env });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('4096 or 3072');
    const mismatched = await runCliProcess(['keys', 'generate', '--type', 'ecdsa', '--bits', '4096'], { env });
    expect(mismatched.code).not.toBe(0);
    expect(mismatched.stderr).toContain('521 or 384 or 256');
    expect(await readdir(path.join(home, '.ssh')).catch(() => [])).toEqual([]);
  });
});

describe('keys.generate with a passphrase, loaded into the ssh-agent', () => {
  let topology: Topology;
  let agent: ChildProcess;
  let agentSocket: string;
  const originalPath = process.env.PATH;

  beforeAll(async () => {
    topology = await startTopology({ mirrors: [{ name: 'near' }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] });
    agentSocket = path.join(temp.path, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
    for (let attempt = 0; attempt < 100 && !(await readdir(temp.path)).includes('agent.sock'); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    // The helper runs in this process: its ssh-add is the recording stand-in.
    process.env.PATH = `${standIns}:${originalPath}`;
  });

  afterAll(async () => {
    process.env.PATH = originalPath;
    if (agent && agent.exitCode === null) {
      const exited = once(agent, 'exit');
      agent.kill('SIGTERM');
      await exited;
    }
    await topology?.stop();
  });

  it('reaches ssh-add through neither its arguments nor its environment; a real sshd accepts the key', async () => {
    const knownHostsFile = path.join(temp.path, 'known_hosts');
    await writeFile(knownHostsFile, `${[topology.primary, topology.mirrors.near!].map((instance) => instance.ssh!.knownHostsLine).join('\n')}\n`);
    const helper = await startInProcessHelper({ environmentToken: topology.credentials.token, sshFolder: path.join(temp.path, 'agent-ssh'), agentSocket, knownHostsFile });
    try {
      const passphrase = newPassphrase();
      const watch = await watchProcessesFor(passphrase);
      const made = await helper.client.call('keys.generate', { type: 'ecdsa', bits: 384, comment: 'agent key', passphrase, addToAgent: true });
      const report = await watch.stop();

      expect(made).toMatchObject({ inAgent: true, type: 'ECDSA', bits: 384 });
      const traced = await tracedRuns(standIns, 'ssh-add');
      expect(traced).toContain(`arg=${made.privateKeyPath}`);
      expect(traced).toContain(`SSH_AUTH_SOCK=${agentSocket}`);
      expect(traced).not.toContain(passphrase);
      expect(report.hits).toEqual([]);
      expect((await run('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket } })).stdout).toContain(made.fingerprint);
      await expect(openWith(made.privateKeyPath, '')).rejects.toThrow(/incorrect passphrase/);

      await helper.client.call('keys.upload', { primary: topology.primary.baseUrl, publicKey: made.publicKey });
      const check = await helper.client.call('keys.check', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
      const id = check.inventory.keys.find((key) => key.fingerprint === made.fingerprint)!.id;
      expect(check.servers.map((server) => [server.name, server.results.find((result) => result.key === id)?.outcome])).toEqual(check.servers.map((server) => [server.name, 'accepted']));
    } finally {
      await helper.stop();
    }
  });
});
