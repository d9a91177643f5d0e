import { describe, expect, it } from 'vitest';
import { sshReadiness } from '../../renderer/src/state/ssh-readiness';
import type { KeyCheck, KeyInventory } from '../../renderer/src/state/keys-slice';

const key = (name: string, overrides: Partial<KeyInventory['keys'][number]> = {}): KeyInventory['keys'][number] => ({
  id: `SHA256:${name}`,
  name,
  privateKeyPath: `/home/ana/.ssh/${name}`,
  passphrase: 'none',
  inAgent: false,
  permissionsTooOpen: false,
  warnings: [],
  ...overrides,
});
const inventory = (keys: KeyInventory['keys']): KeyInventory => ({ folder: '/home/ana/.ssh', agent: { running: false }, keys });

function check(results: Record<string, 'accepted' | 'refused'>, keys: KeyInventory['keys']): KeyCheck {
  return {
    primaryBaseUrl: 'https://bitbucket.example.com',
    knownHostsFile: '/home/ana/.ssh/known_hosts',
    inventory: inventory(keys),
    servers: [{ id: 'm-fra', name: 'Frankfurt', kind: 'mirror', host: 'fra', port: 7999, user: 'git', results: Object.entries(results).map(([id, outcome]) => ({ key: id, outcome, ms: 5 })), checkedAt: '2026-11-21T08:00:00Z', durationMs: 40 }],
    uploaded: {},
    warnings: [{ code: 'refused-by-server', message: 'Frankfurt refused id_ed25519.', fix: 'Generate an ECDSA key: ssh-keygen -t ecdsa -b 521.', server: 'Frankfurt' }],
    durationMs: 40,
  };
}
const frankfurt = { id: 'm-fra', name: 'Frankfurt' };

describe('whether SSH can be offered for a clone', () => {
  it('is not offered without an SSH clone URL', () => {
    expect(sshReadiness({ hasSshUrl: false })).toMatchObject({ available: false, message: 'This repository has no SSH clone URL.' });
  });

  it('is not offered when no key is usable: broken, too open, or a lone public key', () => {
    const keys = [key('bad', { problem: 'not a key' }), key('open', { permissionsTooOpen: true }), key('lone', { privateKeyPath: undefined })];
    const result = sshReadiness({ hasSshUrl: true, inventory: inventory(keys) });
    expect(result.available).toBe(false);
    expect(result.message).toContain('No usable SSH key in /home/ana/.ssh');
    // A key only in the agent counts.
    expect(sshReadiness({ hasSshUrl: true, inventory: inventory([key('agent', { privateKeyPath: undefined, inAgent: true })]) }).available).toBe(true);
  });

  it('is offered, with a check suggested, while the keys were not tried on these servers', () => {
    expect(sshReadiness({ hasSshUrl: true, inventory: inventory([key('id_ed25519')]), server: frankfurt })).toEqual({ available: true, canCheck: true });
  });

  it('is not offered when the chosen server refused every key, and says the fix', () => {
    const keys = [key('id_ed25519')];
    const result = sshReadiness({ hasSshUrl: true, inventory: inventory(keys), check: check({ 'SHA256:id_ed25519': 'refused' }, keys), server: frankfurt });
    expect(result).toEqual({ available: false, message: 'Frankfurt accepts none of your SSH keys. Generate an ECDSA key: ssh-keygen -t ecdsa -b 521.', canCheck: true });
  });

  it('names the key the chosen server accepted', () => {
    const keys = [key('id_ed25519'), key('id_ecdsa')];
    const result = sshReadiness({ hasSshUrl: true, inventory: inventory(keys), check: check({ 'SHA256:id_ed25519': 'refused', 'SHA256:id_ecdsa': 'accepted' }, keys), server: frankfurt });
    expect(result).toEqual({ available: true, message: 'Frankfurt accepts id_ecdsa.', canCheck: false });
  });

  const host = (known: boolean, port: number) => ({ url: `ssh://git@fra:${port}/p/r.git`, host: 'fra', port, known, presented: known ? [] : [{ host: 'fra', port, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', matchesPrimaryAdvertised: null }] });

  it('is not offered while a host key is unknown, names the server and hands over what to review', () => {
    const keys = [key('id_ecdsa')];
    const result = sshReadiness({ hasSshUrl: true, inventory: inventory(keys), check: check({ 'SHA256:id_ecdsa': 'accepted' }, keys), server: frankfurt, hostKeys: { pending: false, hosts: [host(true, 7999), host(false, 7998)] } });
    expect(result.available).toBe(false);
    expect(result.message).toMatch(/^The SSH host key of fra:7998 is not trusted on this computer yet/);
    expect(result.unknownHosts?.map((item) => item.port)).toEqual([7998]);
  });

  it('waits for the host key look-up before offering SSH, then follows the check', () => {
    const keys = [key('id_ecdsa')];
    const known = { hasSshUrl: true, inventory: inventory(keys), check: check({ 'SHA256:id_ecdsa': 'accepted' }, keys), server: frankfurt };
    expect(sshReadiness({ ...known, hostKeys: { pending: true, hosts: [] } }).available).toBe(false);
    expect(sshReadiness({ ...known, hostKeys: { pending: false, hosts: [host(true, 7999)] } })).toEqual({ available: true, message: 'Frankfurt accepts id_ecdsa.', canCheck: false });
  });

  it('treats a check made before the host key was trusted as saying nothing about that server', () => {
    const keys = [key('id_ecdsa')];
    const stale = check({ 'SHA256:id_ecdsa': 'refused' }, keys);
    stale.servers[0]!.unknownHostKeys = [];
    expect(sshReadiness({ hasSshUrl: true, inventory: inventory(keys), check: stale, server: frankfurt, hostKeys: { pending: false, hosts: [host(true, 7999)] } })).toEqual({ available: true, canCheck: true });
  });
});
