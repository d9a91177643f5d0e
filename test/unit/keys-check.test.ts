// What ssh's messages mean for a key check, the ssh command line it runs, SSH endpoints from
// clone URLs and settings, and the warnings a check's outcomes lead to.
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { classifySshFailure, sshArguments } from '../../electron/helper/keys/ssh-attempt';
import { endpointOfSshSettings, endpointOfSshUrl } from '../../electron/helper/keys/endpoints';
import { checkWarnings } from '../../electron/helper/keys/check-warnings';
import { createKeyChecksStore } from '../../electron/helper/keys/checks-store';
import { makeTempDir } from '../support/temp-dir';
import { writeFile } from 'node:fs/promises';
import type { KeyCheckServer, SshKey } from '../../shared/contract';

const captured = (name: string) => readFile(path.resolve(import.meta.dirname, '../fixtures/git-output', name), 'utf8');

describe('classifying ssh failures', () => {
  it('reads real ssh output captured from git', async () => {
    expect(classifySshFailure(await captured('ssh-publickey.txt'))).toEqual({ outcome: 'refused', detail: 'git@127.0.0.1: Permission denied (publickey).' });
    expect(classifySshFailure(await captured('ssh-host-key-unknown.txt')).outcome).toBe('host-key-unknown');
    expect(classifySshFailure(await captured('ssh-host-key-changed.txt')).outcome).toBe('host-key-changed');
  });

  it('tells a key ssh would not load from a key the server refused', () => {
    const unprotected = [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      "Permissions 0644 for '/home/me/.ssh/id_ecdsa' are too open.",
      'Load key "/home/me/.ssh/id_ecdsa": bad permissions',
      'git@bitbucket.example.com: Permission denied (publickey).',
    ].join('\n');
    expect(classifySshFailure(unprotected).outcome).toBe('key-unusable');
    expect(classifySshFailure('ssh: connect to host 127.0.0.1 port 1: Connection refused\n')).toEqual({ outcome: 'unreachable', detail: 'ssh: connect to host 127.0.0.1 port 1: Connection refused' });
    expect(classifySshFailure('ssh: Could not resolve hostname nowhere.invalid: Name or service not known\n').outcome).toBe('unreachable');
  });

  it('runs ssh with this key only, no prompt, no config, strict host keys, and a command that cannot do anything', () => {
    const args = sshArguments({ endpoint: { host: 'mirror.example.com', port: 7999, user: 'git' }, identityFile: '/k/id', knownHostsFile: '/k/known_hosts' });
    const options = args.filter((_, index) => args[index - 1] === '-o');
    expect(options).toEqual(expect.arrayContaining(['BatchMode=yes', 'IdentitiesOnly=yes', 'IdentityAgent=none', 'PreferredAuthentications=publickey', 'StrictHostKeyChecking=yes', 'UserKnownHostsFile=/k/known_hosts']));
    expect(args.slice(0, 2)).toEqual(['-F', 'none']);
    expect(args.slice(-3)).toEqual(['--', 'mirror.example.com', "git-upload-pack '/nonexistent/none.git'"]);
    expect(args).toEqual(expect.arrayContaining(['-i', '/k/id', '-p', '7999', '-l', 'git']));
  });
});

describe('SSH endpoints', () => {
  it('come from ssh:// and scp-like clone URLs; anything that could become an option is refused', () => {
    expect(endpointOfSshUrl('ssh://git@mirror.example.com:7999/proj/repo.git')).toEqual({ host: 'mirror.example.com', port: 7999, user: 'git' });
    expect(endpointOfSshUrl('git@bitbucket.example.com:proj/repo.git')).toEqual({ host: 'bitbucket.example.com', port: 22, user: 'git' });
    expect(endpointOfSshUrl('ssh://-oProxyCommand=x@host/repo.git')).toBeUndefined();
    expect(endpointOfSshUrl('ssh://git@-host/repo.git')).toBeUndefined();
    expect(endpointOfSshUrl('https://bitbucket.example.com/scm/proj/repo.git')).toBeUndefined();
  });

  it('come from the primary\'s SSH settings', () => {
    expect(endpointOfSshSettings({ enabled: true, baseUrl: 'ssh://git@bitbucket.example.com:7999' })).toEqual({ host: 'bitbucket.example.com', port: 7999, user: 'git' });
    expect(endpointOfSshSettings({ enabled: true, baseUrl: 'ssh://127.0.0.1', port: 2222 })).toEqual({ host: '127.0.0.1', port: 2222, user: 'git' });
    expect(endpointOfSshSettings({ enabled: false })).toBeUndefined();
  });
});

describe('warnings from a check', () => {
  const key = (id: string, type: SshKey['type'], name: string): SshKey => ({ id, name, type, privateKeyPath: `/k/${name}`, publicKeyPath: `/k/${name}.pub`, passphrase: 'none', inAgent: false, permissionsTooOpen: false, warnings: [] });
  const server = (name: string, outcomes: Record<string, KeyCheckServer['results'][number]['outcome']>): KeyCheckServer => ({
    id: name, name, kind: name === 'primary' ? 'primary' : 'mirror', host: `${name}.example.com`, port: 7999, user: 'git', checkedAt: new Date().toISOString(), durationMs: 1,
    results: Object.entries(outcomes).map(([id, outcome]) => ({ key: id, outcome, ms: 1 })),
  });
  const ed = key('SHA256:ed', 'ED25519', 'id_ed25519');
  const ec = key('SHA256:ec', 'ECDSA', 'id_ecdsa');

  it('an Ed25519 key one mirror refuses: generate an ECDSA key for it; a server no key gets into', async () => {
    const warnings = await checkWarnings({
      keys: [ed, ec],
      servers: [server('primary', { 'SHA256:ed': 'accepted', 'SHA256:ec': 'refused' }), server('strict', { 'SHA256:ed': 'refused', 'SHA256:ec': 'refused' })],
      uploaded: { 'SHA256:ed': true, 'SHA256:ec': false },
      primaryBaseUrl: 'https://bitbucket.example.com',
      knownHostsFile: '/k/known_hosts',
    });
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'refused-by-server', server: 'strict', key: 'SHA256:ed', message: 'strict refuses /k/id_ed25519 (ED25519) (other servers accept it).', fix: expect.stringContaining('Generate an ECDSA key (`ssh-keygen -t ecdsa -b 521`)') }),
      expect.objectContaining({ code: 'not-uploaded', key: 'SHA256:ec', fix: expect.stringContaining('https://bitbucket.example.com/plugins/servlet/ssh/account/keys') }),
      expect.objectContaining({ code: 'no-key-accepted', server: 'strict' }),
    ]);
  });
});

describe('the store of checks', () => {
  it('keeps the last check of each server with its date, and drops a damaged entry only', async () => {
    const temp = await makeTempDir('keys-store');
    try {
      const server: KeyCheckServer = { id: 'm1', name: 'near', kind: 'mirror', host: 'near.example.com', port: 7999, user: 'git', checkedAt: '2026-11-03T10:00:00.000Z', durationMs: 300, results: [{ key: 'SHA256:a', outcome: 'accepted', ms: 150 }] };
      createKeyChecksStore(temp.path).put(server);
      createKeyChecksStore(temp.path).put({ ...server, host: 'strict.example.com', name: 'strict' });
      expect(createKeyChecksStore(temp.path).get('near.example.com', 7999)).toEqual(server);
      const file = path.join(temp.path, 'ssh-key-checks.json');
      const stored = JSON.parse(await readFile(file, 'utf8')) as { servers: Record<string, unknown> };
      stored.servers['near.example.com:7999'] = { name: 'near', results: 'garbage' };
      await writeFile(file, JSON.stringify(stored));
      const reopened = createKeyChecksStore(temp.path);
      expect(reopened.get('near.example.com', 7999)).toBeUndefined();
      expect(reopened.list().map((entry) => entry.name)).toEqual(['strict']);
    } finally {
      await temp.cleanup();
    }
  });
});
