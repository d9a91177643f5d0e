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
});
