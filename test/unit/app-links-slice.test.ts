/**
 * What the page does with a link or a dropped file, before any component: a refused link leaves
 * only a notice (no navigation, no request), a repository link waits for the paste field, a team
 * link asks the helper for the file (a newer link or Dismiss cancels the request), and a dropped
 * file is opened only if it is one team file. The helper is stood in for by a client that
 * records its calls and answers when told.
 */
import { describe, expect, it } from 'vitest';
import { ContractError, type HelperClient, type PrimarySummary } from '../../shared/contract';
import { writeTeamFile } from '../../shared/team-file';
import { createAppLinksSlice, isOnConnectedServer } from '../../renderer/src/state/app-links-slice';
import { createNavigationSlice } from '../../renderer/src/state/navigation-slice';

const link = (action: string, url: string) => `mirror-clone://${action}?url=${encodeURIComponent(url)}`;
const teamText = writeTeamFile({ primary: 'https://bitbucket.example.com', projects: ['CORE'], repositories: [], layout: 'flat', protocol: 'https' });

function setUp() {
  const calls: { method: string; params: unknown; signal?: AbortSignal; answer(result: unknown): void; fail(error: unknown): void }[] = [];
  const client = {
    connectionState: 'connected',
    call: (method: string, params: unknown, options: { signal?: AbortSignal } = {}) =>
      new Promise((resolve, reject) => {
        calls.push({ method, params, signal: options.signal, answer: resolve, fail: reject });
        options.signal?.addEventListener('abort', () => reject(new ContractError('CANCELLED', 'cancelled')));
      }),
    onConnectionChange: () => () => undefined,
  } as unknown as HelperClient;
  const navigation = createNavigationSlice();
  navigation.getState().show('settings');
  const store = createAppLinksSlice(client, { navigation });
  return { store, navigation, calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('links and dropped files in the page', () => {
  it('refuses a hostile link with its reason, and does nothing else', () => {
    const { store, navigation, calls } = setUp();
    store.getState().openLink(link('clone', 'ext::sh -c touch% /tmp/pwned'));
    expect(store.getState().notice).toMatchObject({ kind: 'refused', reason: expect.stringContaining('refused') });
    expect(store.getState().cloneRequest).toBeUndefined();
    expect(navigation.getState().section).toBe('settings');
    expect(calls).toEqual([]);
    // What is shown of a very long link is only its start.
    store.getState().openLink(`mirror-clone://clone?url=${'a'.repeat(5_000)}`);
    expect(store.getState().notice).toMatchObject({ kind: 'refused', reason: expect.stringContaining('longer than') });
    expect((store.getState().notice as { link: string }).link.length).toBeLessThanOrEqual(121);
  });

  it('hands a repository link to the paste field, once', () => {
    const { store, navigation } = setUp();
    store.getState().openLink(link('clone', 'https://bitbucket.example.com/scm/core/api.git'));
    const request = store.getState().cloneRequest!;
    expect(request.url).toBe('https://bitbucket.example.com/scm/core/api.git');
    expect(navigation.getState().section).toBe('repositories');
    store.getState().takeCloneRequest(request.id + 1);
    expect(store.getState().cloneRequest).toBe(request);
    store.getState().takeCloneRequest(request.id);
    expect(store.getState().cloneRequest).toBeUndefined();
  });

  it('fetches a linked team file through the helper and opens its summary, saying where it came from', async () => {
    const { store, calls } = setUp();
    store.getState().openLink(link('team', 'https://wiki.example.com/team.json'));
    expect(store.getState().notice).toEqual({ kind: 'fetching', url: 'https://wiki.example.com/team.json' });
    await settle();
    expect(calls.map((call) => [call.method, call.params])).toEqual([['teamFile.fetch', { url: 'https://wiki.example.com/team.json' }]]);
    calls[0]!.answer({ url: 'https://wiki.example.com/files/team.json', name: 'team.json', text: teamText });
    await settle();
    expect(store.getState().notice).toBeUndefined();
    expect(store.getState().teamFile).toMatchObject({ name: 'team.json', from: 'https://wiki.example.com/files/team.json', parsed: { ok: true } });
  });

  it('says why a linked team file could not be fetched', async () => {
    const { store, calls } = setUp();
    store.getState().openLink(link('team', 'https://wiki.example.com/private.json'));
    await settle();
    calls[0]!.fail(new ContractError('UNAUTHORIZED', 'wiki.example.com asks to sign in', { hint: 'Download it.' }));
    await settle();
    expect(store.getState().notice).toEqual({ kind: 'fetch-failed', url: 'https://wiki.example.com/private.json', error: { code: 'UNAUTHORIZED', message: 'wiki.example.com asks to sign in', hint: 'Download it.' } });
    expect(store.getState().teamFile).toBeUndefined();
  });

  it('cancels the fetch when a newer link comes or the notice is dismissed', async () => {
    const { store, calls } = setUp();
    store.getState().openLink(link('team', 'https://wiki.example.com/slow.json'));
    await settle();
    store.getState().openLink(link('clone', 'https://bitbucket.example.com/scm/core/api.git'));
    expect(calls[0]!.signal!.aborted).toBe(true);
    await settle();
    // The cancelled fetch leaves no notice behind.
    expect(store.getState().notice).toBeUndefined();
    store.getState().openLink(link('team', 'https://wiki.example.com/slow.json'));
    await settle();
    store.getState().dismissNotice();
    expect(calls[1]!.signal!.aborted).toBe(true);
    await settle();
    expect(store.getState().notice).toBeUndefined();
  });

  it('opens one dropped team file, and says why for anything else', async () => {
    const { store, navigation } = setUp();
    await store.getState().openDroppedFiles([new File(['\u0089PNG...'], 'screenshot.png', { type: 'image/png' })]);
    expect(store.getState().notice).toEqual({ kind: 'not-a-team-file', name: 'screenshot.png', reason: expect.stringContaining('not a team file') });
    expect(store.getState().teamFile).toBeUndefined();
    expect(navigation.getState().section).toBe('settings');

    await store.getState().openDroppedFiles([new File([teamText], 'a.json'), new File([teamText], 'b.json')]);
    expect(store.getState().notice).toMatchObject({ kind: 'not-a-team-file', reason: 'drop one team file at a time' });

    await store.getState().openDroppedFiles([new File([' '.repeat(2 * 1024 * 1024)], 'huge.json')]);
    expect(store.getState().notice).toMatchObject({ kind: 'not-a-team-file', name: 'huge.json', reason: expect.stringContaining('a team file is a few KB') });

    await store.getState().openDroppedFiles([new File([teamText], 'team.json', { type: 'application/json' })]);
    expect(store.getState().notice).toBeUndefined();
    expect(store.getState().teamFile).toMatchObject({ name: 'team.json', parsed: { ok: true } });
    expect(navigation.getState().section).toBe('repositories');
  });
});

describe('whether a linked repository is on a connected server', () => {
  const primary = (baseUrl: string, mirrors: string[] = []) =>
    ({ baseUrl, name: 'x', authKind: 'token', insecure: false, manualMirrors: mirrors.map((mirrorUrl) => ({ baseUrl: mirrorUrl, name: 'm' })) }) as unknown as PrimarySummary;
  const primaries = [primary('https://bitbucket.example.com/context', ['https://mirror.example.net:8443'])];

  it.each([
    ['the primary', 'https://BITBUCKET.example.com/context/scm/core/api.git', true],
    ['a mirror added by hand', 'https://mirror.example.net:8443/scm/core/api.git', true],
    ['an ssh address (matched by the helper without a request)', 'ssh://git@bitbucket.example.com:7999/core/api.git', true],
    ['another server', 'https://bitbucket.elsewhere.example/scm/core/api.git', false],
    ['the primary on another port', 'https://bitbucket.example.com:8443/scm/core/api.git', false],
    ['no address at all', 'CORE/api', false],
  ])('%s', (_name, url, expected) => {
    expect(isOnConnectedServer(url, primaries)).toBe(expected);
  });
});
