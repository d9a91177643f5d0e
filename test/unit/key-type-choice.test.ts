import { describe, expect, it } from 'vitest';
import { recommendedKeyType } from '../../renderer/src/state/key-type-choice';
import type { KeyCheck } from '../../renderer/src/state/keys-slice';

type Outcome = 'accepted' | 'refused';
const key = (id: string, type: 'ED25519' | 'ECDSA' | 'RSA') => ({ id, name: id, type, passphrase: 'none' as const, inAgent: false, permissionsTooOpen: false, warnings: [] });

function check(servers: Record<string, Record<string, Outcome>>, restrictions?: KeyCheck['restrictions']): KeyCheck {
  const keys = [key('ed', 'ED25519'), key('ec', 'ECDSA'), key('rsa', 'RSA')];
  return {
    primaryBaseUrl: 'https://bitbucket.example.com',
    knownHostsFile: '/home/ana/.ssh/known_hosts',
    inventory: { folder: '/home/ana/.ssh', agent: { running: false }, keys },
    servers: Object.entries(servers).map(([name, results]) => ({ id: name, name, kind: 'mirror' as const, host: name, port: 7999, user: 'git', results: Object.entries(results).map(([id, outcome]) => ({ key: id, outcome, ms: 1 })), checkedAt: '2026-11-21T08:00:00Z', durationMs: 1 })),
    uploaded: {},
    restrictions,
    warnings: [],
    durationMs: 1,
  };
}

describe('the key type a new key defaults to', () => {
  it('is Ed25519 before any check, and says a check would tell more', () => {
    expect(recommendedKeyType(undefined)).toEqual({ choice: 'ed25519', reason: expect.stringContaining('A check below shows what yours accept') });
  });

  it('is Ed25519 when every checked server accepted one', () => {
    expect(recommendedKeyType(check({ fra: { ed: 'accepted' }, par: { ed: 'accepted' } }))).toEqual({ choice: 'ed25519', reason: 'Ed25519: every checked server accepted an Ed25519 key.' });
  });

  it('is a type every server accepted when a mirror refused Ed25519, naming that mirror', () => {
    expect(recommendedKeyType(check({ fra: { ed: 'accepted', ec: 'accepted' }, par: { ed: 'refused', ec: 'accepted' } }))).toEqual({ choice: 'ecdsa', reason: 'par refused an Ed25519 key in the last check; ECDSA was accepted by every checked server.' });
  });

  it('is RSA when a mirror refused Ed25519 and no other type was seen accepted everywhere', () => {
    const result = recommendedKeyType(check({ fra: { ed: 'accepted' }, par: { ed: 'refused', rsa: 'accepted' }, ber: { ec: 'refused', ed: 'refused', rsa: 'accepted' } }));
    expect(result).toEqual({ choice: 'rsa-4096', reason: 'par and ber refused an Ed25519 key in the last check, so RSA is chosen: every Bitbucket server accepts RSA keys.' });
  });

  it('is not Ed25519 when the one Ed25519 key the primary accepted was refused by a mirror', () => {
    const result = recommendedKeyType(check({ primary: { ed: 'accepted' }, near: { ed: 'accepted' }, strict: { ed: 'refused' } }));
    expect(result).toEqual({ choice: 'rsa-4096', reason: 'strict refused an Ed25519 key in the last check, so RSA is chosen: every Bitbucket server accepts RSA keys.' });
  });

  it('is still Ed25519 when an Ed25519 key was refused everywhere (not uploaded, not for its type)', () => {
    expect(recommendedKeyType(check({ primary: { ed: 'refused' }, near: { ed: 'refused' } })).choice).toBe('ed25519');
  });

  it('skips what the administrators do not allow', () => {
    expect(recommendedKeyType(check({ fra: { ec: 'accepted' } }, [{ type: 'ED25519', allowed: false }, { type: 'ECDSA', allowed: true }])).choice).toBe('ecdsa');
    expect(recommendedKeyType(check({ fra: { rsa: 'accepted' } }, [{ type: 'ED25519', allowed: false }])).choice).toBe('rsa-4096');
  });
});
