/**
 * Managing a connected primary through the contract, against a real helper process, a real OS
 * keychain and the emulated primary with two mirrors: the mirrors a pin can choose, a pin that
 * discovery honours, hand-added mirrors checked before they are stored, and removal taking the
 * token out of the keychain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { ContractError, type ContractClient } from '../../shared/contract';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { startHelperProcess, type RunningHelper } from '../support/helper-process';
import { connectClient } from '../support/websocket-client';
import { makeTempDir } from '../support/temp-dir';
import { keychainHasEntry, primaryAccount } from '../support/keychain-entry';

let topology: Topology;
let keyring: TestKeyring;
let home: Awaited<ReturnType<typeof makeTempDir>>;
let helper: RunningHelper;
let client: ContractClient;
let socket: WebSocket;

beforeAll(async () => {
  [topology, keyring, home] = await Promise.all([
    startTopology({ primary: { delayMs: 30 }, mirrors: [{ name: 'near', delayMs: 1 }, { name: 'far', delayMs: 12 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] }),
    startTestKeyring(),
    makeTempDir('primaries-manage'),
  ]);
  const env = { ...keyring.env };
  delete env.MIRROR_CLONE_TOKEN;
  helper = await startHelperProcess({ home: home.path, env });
  ({ client, socket } = await connectClient(helper.address.url, helper.address.token));
  await client.call('primaries.add', { baseUrl: topology.primary.baseUrl, credentials: { kind: 'token', token: topology.credentials.token } });
}, 120_000);

afterAll(async () => {
  socket?.close();
  await helper?.stop();
  await topology?.stop();
  await keyring?.stop();
  await home?.cleanup();
});

const primary = () => topology.primary.baseUrl;
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as ContractError);
const discover = () => client.call('discovery.run', { repository: 'PROJ/repo', primary: primary(), samples: 3, refresh: true });

describe('managing a connected primary', () => {
  it('knows no mirrors before a discovery, and refuses to pin one it does not know', async () => {
    expect(await client.call('primaries.knownMirrors', { baseUrl: primary() })).toEqual([]);
    const refused = await failure(client.call('primaries.pin', { baseUrl: primary(), candidate: topology.mirrors.far!.id }));
    expect(refused).toBeInstanceOf(ContractError);
    expect(refused).toMatchObject({ code: 'INVALID_PARAMS', hint: expect.stringContaining('find a repository') });
    expect((await client.call('primaries.list', {}))[0]!.pinnedCandidate).toBeUndefined();
  });

  it('lists the mirrors discovery saw, by candidate id, then those added by hand', async () => {
    await discover();
    await client.call('primaries.setManualMirrors', { baseUrl: primary(), mirrors: [{ name: ' Lab ', baseUrl: 'http://127.0.0.1:9/lab/' }] });
    const known = await client.call('primaries.knownMirrors', { baseUrl: primary() });
    expect(known).toEqual([
      { id: topology.mirrors.near!.id, name: 'near', baseUrl: topology.mirrors.near!.baseUrl, manual: false },
      { id: topology.mirrors.far!.id, name: 'far', baseUrl: topology.mirrors.far!.baseUrl, manual: false },
      { id: 'manual:http://127.0.0.1:9/lab', name: 'Lab', baseUrl: 'http://127.0.0.1:9/lab', manual: true },
    ]);
  });

  it('refuses hand-added mirrors with a bad address, a name twice, or the primary itself, and keeps the list as it was', async () => {
    const mirrorsNow = (await client.call('primaries.list', {}))[0]!.manualMirrors;
    const cases: [{ name: string; baseUrl: string }[], RegExp][] = [
      [[{ name: 'Oslo', baseUrl: 'not a url' }], /^Mirror "Oslo": "not a url" is not a URL\.$/],
      [[{ name: 'Oslo', baseUrl: 'ftp://oslo.example.com' }], /is not an http or https address/],
      [[{ name: 'Oslo', baseUrl: 'https://a.example.com' }, { name: 'oslo', baseUrl: 'https://b.example.com' }], /already a mirror named "oslo"/],
      [[{ name: 'Self', baseUrl: `${primary()}/` }], /is the primary itself/],
      [[{ name: '   ', baseUrl: 'https://a.example.com' }], /needs a name/],
    ];
    for (const [mirrors, message] of cases) {
      const refused = await failure(client.call('primaries.setManualMirrors', { baseUrl: primary(), mirrors }));
      expect(refused, JSON.stringify(mirrors)).toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringMatching(message) });
      expect(refused!.hint, JSON.stringify(mirrors)).toBeTruthy();
    }
    expect((await client.call('primaries.list', {}))[0]!.manualMirrors).toEqual(mirrorsNow);
  });

  it('pins the farther mirror: discovery recommends it and says the pin decided', async () => {
    const far = topology.mirrors.far!.id;
    const pinned = await client.call('primaries.pin', { baseUrl: primary(), candidate: far });
    expect(pinned.pinnedCandidate).toBe(far);
    const result = await discover();
    expect(result.chosen).toBe(far);
    expect(result.reason).toMatch(/^far: pinned by you, .* \(closest measured: near, /);

    const unpinned = await client.call('primaries.pin', { baseUrl: primary(), candidate: null });
    expect(unpinned.pinnedCandidate).toBeUndefined();
    expect((await discover()).chosen).toBe(topology.mirrors.near!.id);
  });

  it('pins the primary itself', async () => {
    await client.call('primaries.pin', { baseUrl: primary(), candidate: 'primary' });
    const result = await discover();
    expect(result.chosen).toBe('primary');
    expect(result.reason).toMatch(/^Primary: pinned by you/);
  });

  it('refuses to make a mirror Bitbucket has disabled the preferred server, saying what to choose instead', async () => {
    const far = topology.mirrors.far!.id;
    topology.setMirrorEnabled('far', false);
    try {
      await discover();
      const known = await client.call('primaries.knownMirrors', { baseUrl: primary() });
      expect(known.find((mirror) => mirror.id === far)).toMatchObject({ name: 'far', disabled: true });
      expect(known.find((mirror) => mirror.name === 'near')!.disabled).toBeUndefined();
      const refused = await failure(client.call('primaries.pin', { baseUrl: primary(), candidate: far }));
      expect(refused).toMatchObject({ code: 'CONFLICT', message: 'far is disabled by the Bitbucket administrators, so it cannot be the preferred server.', hint: expect.stringContaining('Choose another mirror') });
      // The pin in force is left as it was.
      expect((await client.call('primaries.list', {}))[0]!.pinnedCandidate).toBe('primary');
    } finally {
      topology.setMirrorEnabled('far', true);
    }
    // Enabled again and seen so by a discovery: it can be chosen.
    await discover();
    expect((await client.call('primaries.pin', { baseUrl: primary(), candidate: far })).pinnedCandidate).toBe(far);
  });

  it('drops a pin on a hand-added mirror when that mirror is removed', async () => {
    await client.call('primaries.pin', { baseUrl: primary(), candidate: 'manual:http://127.0.0.1:9/lab' });
    const updated = await client.call('primaries.setManualMirrors', { baseUrl: primary(), mirrors: [] });
    expect(updated.manualMirrors).toEqual([]);
    expect(updated.pinnedCandidate).toBeUndefined();
  });

  it('removes the primary and its token from the OS keychain', async () => {
    const account = primaryAccount(primary());
    expect(await keychainHasEntry(keyring.env, account)).toBe(true);
    expect(await client.call('primaries.remove', { baseUrl: `${primary()}/` })).toEqual({ removed: true });
    expect(await keychainHasEntry(keyring.env, account)).toBe(false);
    expect(await client.call('primaries.list', {})).toEqual([]);
    expect(await client.call('primaries.remove', { baseUrl: primary() })).toEqual({ removed: false });
    expect(await failure(client.call('primaries.knownMirrors', { baseUrl: primary() }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
