import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSshd, type SshdInstance } from '../fixtures/ssh/sshd';
import { generateKeyPair, type KeyPair } from '../fixtures/ssh/keys';
import { READ_ONLY_MESSAGE } from '../fixtures/ssh/git-shim';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { cwd: options.cwd, env: options.env, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    // A command that refuses early closes its stdin before we finish writing.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

const quiet = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid'];

let tmp: string;
let repoRoot: string;
let knownHosts: string;
let primary: SshdInstance;
let mirror: SshdInstance;
const keys: Record<'ed25519' | 'ecdsa' | 'rsa', KeyPair> = {} as never;

function sshCommand(key: KeyPair): string {
  return [
    'ssh -F /dev/null',
    `-i ${key.privateKeyPath}`,
    '-o IdentitiesOnly=yes',
    `-o UserKnownHostsFile=${knownHosts}`,
    '-o GlobalKnownHostsFile=/dev/null',
    '-o StrictHostKeyChecking=yes',
    '-o BatchMode=yes',
  ].join(' ');
}

function git(args: string[], key: KeyPair, cwd?: string): Promise<Result> {
  return exec('git', args, { cwd, env: { ...process.env, ...quiet, GIT_SSH_COMMAND: sshCommand(key) } });
}

function url(server: SshdInstance, repoPath: string): string {
  return `ssh://${server.user}@127.0.0.1:${server.port}${repoPath}`;
}

/** Runs `remoteCommand` over ssh as a client would, bypassing git. */
function ssh(server: SshdInstance, key: KeyPair, remoteCommand: string): Promise<Result> {
  const [file, ...args] = sshCommand(key).split(' ');
  return exec(file, [...args, '-p', String(server.port), `${server.user}@127.0.0.1`, remoteCommand]);
}

async function commitFile(work: string, name: string, content: string): Promise<void> {
  await fs.writeFile(path.join(work, name), content);
  await exec('git', ['-C', work, 'add', name], { env: { ...process.env, ...quiet } });
  const done = await exec('git', ['-C', work, ...identity, 'commit', '-q', '-m', `add ${name}`], { env: { ...process.env, ...quiet } });
  expect(done.code, done.stderr).toBe(0);
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'sshd-test-'));
  repoRoot = path.join(tmp, 'repos');
  // A bare repository with one commit, made the way the emulator makes them (as this user).
  const seed = path.join(tmp, 'seed');
  await exec('git', ['init', '-q', '-b', 'main', seed]);
  await commitFile(seed, 'README.md', 'hello\n');
  await fs.mkdir(path.join(repoRoot, 'proj'), { recursive: true });
  await exec('git', ['clone', '-q', '--bare', seed, path.join(repoRoot, 'proj', 'repo.git')]);
  await fs.mkdir(path.join(repoRoot, '~alice'), { recursive: true });
  await exec('git', ['clone', '-q', '--bare', seed, path.join(repoRoot, '~alice', 'notes.git')]);

  for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) keys[type] = await generateKeyPair(path.join(tmp, `id_${type}`), type);
  const all = Object.values(keys).map((k) => k.publicKeyLine);
  primary = await startSshd({ workDir: path.join(tmp, 'primary'), repoRoot, writable: true });
  mirror = await startSshd({ workDir: path.join(tmp, 'mirror'), repoRoot, writable: false, refuseAlgorithms: ['ssh-ed25519'] });
  await primary.writeAuthorizedKeys(all);
  await mirror.writeAuthorizedKeys(all);
  knownHosts = path.join(tmp, 'known_hosts');
  await fs.writeFile(knownHosts, `${primary.knownHostsLine}\n${mirror.knownHostsLine}\n`);
});

afterAll(async () => {
  await primary?.stop();
  await mirror?.stop();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('sshd: git over ssh', () => {
  it('clones, pushes, and stays usable by root-side git and by ssh after pushes from both sides', async () => {
    const clone = path.join(tmp, 'clone-rw');
    const cloned = await git(['clone', '-q', url(primary, '/proj/repo.git'), clone], keys.ed25519);
    expect(cloned.code, cloned.stderr + primary.recentLog()).toBe(0);
    expect(await fs.readFile(path.join(clone, 'README.md'), 'utf8')).toBe('hello\n');

    await commitFile(clone, 'over-ssh.txt', 'pushed as the login user\n');
    const pushed = await git(['push', '-q', 'origin', 'main'], keys.ed25519, clone);
    expect(pushed.code, pushed.stderr).toBe(0);

    // Root-side git (the HTTP side of the emulator) reads and writes the same repository.
    const bare = path.join(repoRoot, 'proj', 'repo.git');
    const head = await exec('git', ['-C', bare, 'rev-parse', 'main']);
    expect(head.stdout.trim()).toBe((await exec('git', ['-C', clone, 'rev-parse', 'HEAD'])).stdout.trim());
    await commitFile(clone, 'as-root.txt', 'pushed by the server side\n');
    const rootPush = await exec('git', ['-C', clone, 'push', '-q', bare, 'main'], { env: { ...process.env, ...quiet } });
    expect(rootPush.code, rootPush.stderr).toBe(0);

    // ...and the login user can push again on top of files root just created.
    await commitFile(clone, 'again.txt', 'and over ssh again\n');
    const again = await git(['push', '-q', url(primary, '/proj/repo.git'), 'main'], keys.rsa, clone);
    expect(again.code, again.stderr).toBe(0);
    const fresh = await git(['ls-remote', url(primary, '/PROJ/repo.git'), 'refs/heads/main'], keys.ecdsa);
    expect(fresh.stdout.split('\t')[0]).toBe((await exec('git', ['-C', clone, 'rev-parse', 'HEAD'])).stdout.trim());
  });

  it('serves personal repositories (~user) and paths without a leading slash', async () => {
    const listed = await git(['ls-remote', url(primary, '/~alice/notes.git'), 'refs/heads/main'], keys.ecdsa);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('refs/heads/main');
    for (const spelling of ["git-upload-pack '/~alice/notes.git'", "git-upload-pack '~alice/notes.git'", "git upload-pack 'proj/repo.git'"]) {
      const advertised = await ssh(primary, keys.ecdsa, spelling);
      expect(advertised.stdout, `${spelling}: ${advertised.stderr}`).toContain('refs/heads/main');
    }
  });

  it('speaks git protocol v2 over ssh (GIT_PROTOCOL reaches the server)', async () => {
    const traced = await exec('git', ['-c', 'protocol.version=2', 'ls-remote', url(primary, '/proj/repo.git')], {
      env: { ...process.env, ...quiet, GIT_SSH_COMMAND: sshCommand(keys.ecdsa), GIT_TRACE_PACKET: '1' },
    });
    expect(traced.code, traced.stderr).toBe(0);
    expect(traced.stderr).toMatch(/ls-remote< version 2/);
  });

  it('refuses pushes on a read-only instance with a clear message, but serves clones', async () => {
    const clone = path.join(tmp, 'clone-ro');
    const cloned = await git(['clone', '-q', url(mirror, '/proj/repo.git'), clone], keys.ecdsa);
    expect(cloned.code, cloned.stderr + mirror.recentLog()).toBe(0);
    await commitFile(clone, 'to-mirror.txt', 'should not land\n');
    const before = (await exec('git', ['-C', path.join(repoRoot, 'proj', 'repo.git'), 'rev-parse', 'main'])).stdout;
    const pushed = await git(['push', 'origin', 'main'], keys.ecdsa, clone);
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toContain(READ_ONLY_MESSAGE);
    expect((await exec('git', ['-C', path.join(repoRoot, 'proj', 'repo.git'), 'rev-parse', 'main'])).stdout).toBe(before);
  });

  it('with refuseAlgorithms [ssh-ed25519] refuses an Ed25519 key while ECDSA and RSA keys work', async () => {
    const refused = await git(['ls-remote', url(mirror, '/proj/repo.git')], keys.ed25519);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Permission denied (publickey)');
    for (const type of ['ecdsa', 'rsa'] as const) {
      const listed = await git(['ls-remote', url(mirror, '/proj/repo.git')], keys[type]);
      expect(listed.code, `${type}: ${listed.stderr}`).toBe(0);
      expect(listed.stdout).toContain('refs/heads/main');
    }
    // The same key is fine on a server that does not refuse it.
    expect((await git(['ls-remote', url(primary, '/proj/repo.git')], keys.ed25519)).code).toBe(0);
  });

  it('refuses a key that is not authorized', async () => {
    const stranger = await generateKeyPair(path.join(tmp, 'id_stranger'), 'ed25519');
    const refused = await git(['ls-remote', url(primary, '/proj/repo.git')], stranger);
    expect(refused.stderr).toContain('Permission denied (publickey)');
  });

  it('refuses hostile or unknown commands before git runs', async () => {
    const hostile = [
      "git-upload-pack '../../etc'",
      "git-upload-pack '/proj/../../etc/passwd.git'",
      "git-upload-pack '/proj/repo.git'; id'",
      "git-upload-pack '/proj/repo.git' ; id",
      "git-upload-pack '/proj/sub/repo.git'",
      "git-upload-pack '/-proj/repo.git'",
      "git-upload-pack '/proj/.hidden.git'",
      "git-upload-pack '/proj/repo'",
      "git-upload-archive '/proj/repo.git'",
      'sh -c id',
      'id',
    ];
    for (const command of hostile) {
      const result = await ssh(primary, keys.ecdsa, command);
      expect(result.code, command).not.toBe(0);
      expect(result.stdout, command).not.toMatch(/uid=|refs\/heads/);
      expect(result.stderr, command).toContain('mirror-clone emulator:');
    }
    const missing = await ssh(primary, keys.ecdsa, "git-upload-pack '/proj/nothing.git'");
    expect(missing.stderr).toContain("repository 'proj/nothing.git' does not exist");
  });

  it('rejects authorized key lines that carry their own options', async () => {
    await expect(primary.writeAuthorizedKeys([`command="sh" ${keys.ecdsa.publicKeyLine}`])).rejects.toThrow(/plain public key/);
  });

  it('reports the host key fingerprint that ssh-keyscan and ssh-keygen -l see', async () => {
    const scanned = await exec('ssh-keyscan', ['-p', String(primary.port), '-t', 'ed25519', '127.0.0.1']);
    const line = scanned.stdout.split('\n').find((l) => l.includes('ssh-ed25519'));
    expect(line).toBeDefined();
    expect(line).toBe(primary.knownHostsLine);
    const scannedFile = path.join(tmp, 'scanned');
    await fs.writeFile(scannedFile, `${line}\n`);
    const listed = await exec('ssh-keygen', ['-l', '-f', scannedFile]);
    expect(listed.stdout.split(' ')[1]).toBe(primary.hostKeyFingerprint);
    expect(primary.hostKeyFingerprint).not.toBe(mirror.hostKeyFingerprint);
  });
});

describe('sshd: lifecycle', () => {
  it('stop() ends the process by its PID and frees the port', async () => {
    const server = await startSshd({ workDir: path.join(tmp, 'short-lived'), repoRoot, writable: false });
    expect(() => process.kill(server.pid, 0)).not.toThrow();
    await server.stop();
    expect(() => process.kill(server.pid, 0)).toThrow(/ESRCH/);
    const scan = await exec('ssh-keyscan', ['-T', '2', '-p', String(server.port), '127.0.0.1']);
    expect(scan.stdout).toBe('');
  });
});
