import { describe, expect, it } from 'vitest';
import { keyAcceptedEverywhere, mergeKeyChecks, representatives } from '../../renderer/src/state/selection-key-check';
import type { KeyCheck } from '../../renderer/src/state/keys-slice';

type Outcome = 'accepted' | 'refused';
const key = (id: string) => ({ id, name: id, type: 'ED25519' as const, passphrase: 'none' as const, inAgent: false, permissionsTooOpen: false, warnings: [] });

function check(repository: string, servers: Record<string, Record<string, Outcome>>, uploaded: Record<string, boolean | null> = {}): KeyCheck {
  return {
    primaryBaseUrl: 'https://bitbucket.example.com',
    repository,
    knownHostsFile: '/home/ana/.ssh/known_hosts',
    inventory: { folder: '/home/ana/.ssh', agent: { running: false }, keys: [key('ed'), key('ed2')] },
    servers: Object.entries(servers).map(([name, results]) => ({ id: name, name, kind: name === 'primary' ? ('primary' as const) : ('mirror' as const), host: name, port: 7999, user: 'git', results: Object.entries(results).map(([id, outcome]) => ({ key: id, outcome, ms: 1 })), checkedAt: '2026-11-21T08:00:00Z', durationMs: 1 })),
    uploaded,
    warnings: Object.values(servers).some((results) => Object.values(results).every((outcome) => outcome === 'refused')) ? [{ code: 'no-key-accepted', message: 'strict accepted none of your keys', fix: 'Upload a key it accepts.' }] : [],
    durationMs: 5,
  } as KeyCheck;
}

describe('checking keys for a whole selection', () => {
  it('stands for each project by one repository, named ones first, and lists the rest', () => {
    expect(representatives(['CORE/api', 'core/web', 'LIBS/lib-a'], ['CORE', 'TOOLS'])).toEqual({ named: ['CORE/api', 'LIBS/lib-a'], projectsToList: ['TOOLS'] });
    expect(representatives([], [])).toEqual({ named: [], projectsToList: [] });
  });

  it('merges checks into one over every server, each once, the warnings once and an upload seen anywhere kept', () => {
    const merged = mergeKeyChecks([
      check('CORE/api', { primary: { ed: 'accepted' }, near: { ed: 'accepted' } }, { ed: true, ed2: false }),
      check('LIBS/lib-a', { primary: { ed: 'refused' }, strict: { ed: 'refused' } }, { ed: null, ed2: true }),
      check('LIBS/lib-b', { primary: { ed: 'accepted' }, strict: { ed: 'refused' } }),
    ])!;
    expect(merged.servers.map((server) => server.name)).toEqual(['primary', 'near', 'strict']);
    // The first answer for a server stands.
    expect(merged.servers[0]!.results[0]!.outcome).toBe('accepted');
    expect(merged.uploaded).toEqual({ ed: true, ed2: true });
    expect(merged.warnings).toHaveLength(1);
    expect(merged.repository).toBeUndefined();
    expect(merged.durationMs).toBe(15);
    expect(mergeKeyChecks([])).toBeUndefined();
  });

  it('finds the key every server accepts, or none', () => {
    expect(keyAcceptedEverywhere(check('A/a', { primary: { ed: 'accepted', ed2: 'refused' }, near: { ed: 'refused', ed2: 'accepted' } }))).toBeUndefined();
    expect(keyAcceptedEverywhere(check('A/a', { primary: { ed: 'refused', ed2: 'accepted' }, near: { ed: 'refused', ed2: 'accepted' } }))?.id).toBe('ed2');
    expect(keyAcceptedEverywhere(check('A/a', {}))).toBeUndefined();
  });
});
