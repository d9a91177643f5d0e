import { describe, expect, it } from 'vitest';
import { manualMirrorGetsToken, primaryVouchingFor, tokenBaseUrls } from '../../electron/helper/primaries/token-scope';
import type { StoredPrimary } from '../../electron/helper/store/primaries-store';

const primary = (manualMirrors: StoredPrimary['manualMirrors']): StoredPrimary => ({
  baseUrl: 'https://bitbucket.example.com',
  name: 'Example',
  authKind: 'token',
  addedAt: '2026-01-01T00:00:00Z',
  manualMirrors,
  knownMirrors: [{ id: 'm1', name: 'Advertised', baseUrl: 'https://mirror-adv.example.com' }],
});
const consent = (host: string) => ({ host, confirmedAt: '2026-01-02T00:00:00Z' });

describe('where a primary’s token may go', () => {
  it('the primary, the mirrors it advertised, and a hand-added mirror only with consent for its current host', () => {
    const stored = primary([
      { name: 'Asked', baseUrl: 'https://mirror.example.net' },
      { name: 'Allowed', baseUrl: 'https://allowed.example.net:8443', tokenAllowed: consent('allowed.example.net:8443') },
      { name: 'Moved', baseUrl: 'https://moved.example.net', tokenAllowed: consent('old.example.net') },
      { name: 'Other port', baseUrl: 'https://port.example.net:9443', tokenAllowed: consent('port.example.net') },
    ]);
    expect(tokenBaseUrls(stored)).toEqual(['https://bitbucket.example.com', 'https://mirror-adv.example.com', 'https://allowed.example.net:8443']);
    expect(primaryVouchingFor('https://allowed.example.net:8443', [stored])?.baseUrl).toBe(stored.baseUrl);
    for (const origin of ['https://mirror.example.net', 'https://moved.example.net', 'https://port.example.net:9443', 'http://allowed.example.net:8443']) {
      expect(primaryVouchingFor(origin, [stored]), origin).toBeUndefined();
    }
    expect(manualMirrorGetsToken({ name: 'Case', baseUrl: 'https://Case.Example.net', tokenAllowed: consent('CASE.example.NET') })).toBe(true);
  });
});
