/**
 * The primary's token goes only to the primary and to the mirrors it advertises, and to a mirror
 * added by hand only after the user allowed that mirror's host by name. Watched on every request
 * the emulated servers log, across discovery, clone, top-up and switch, with a hand-added mirror
 * before consent, after it, and after its address changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { startCloneWorld, type CloneWorld } from '../support/clone-world';
import { cloneAndWait } from '../support/clone-job';
import { createPrimariesStore } from '../../electron/helper/store/primaries-store';
import { primaryVouchingFor } from '../../electron/helper/primaries/token-scope';
import type { ContractError } from '../../shared/contract';

let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld(
    {
      primary: { delayMs: 8 },
      mirrors: [{ name: 'near', delayMs: 4 }, { name: 'hand', delayMs: 1, advertised: false }],
      projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }],
    },
    {
      name: 'token-consent',
      // A connected primary (as `primaries.add` leaves it); its token comes from the environment.
      helper: (topology) => ({
        options: { cloneRetry: { attemptsPerSource: 1, backoff: { baseMs: 10, maxMs: 10, jitter: 0 } } },
        prepareDataDir: async (dataDir) => {
          createPrimariesStore(dataDir).put({
            baseUrl: topology.primary.baseUrl, name: 'Primary', version: '8.19.1', authKind: 'token', username: topology.credentials.user,
            addedAt: new Date().toISOString(), manualMirrors: [], knownMirrors: [],
          });
        },
      }),
    },
  );
}, 120_000);

afterAll(() => world?.stop());

const primary = () => world.topology.primary.baseUrl;
const handUrl = () => world.topology.mirrors.hand!.baseUrl;
const handHost = () => new URL(handUrl()).host;
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as ContractError);
const bearer = () => `Bearer ${world.topology.credentials.token}`;

/** Requests logged from `from` on, by instance: how many, and how many carried credentials. */
function logSince(from: number): Record<string, { requests: number; withCredentials: number }> {
  const byInstance: Record<string, { requests: number; withCredentials: number }> = {};
  for (const entry of world.topology.state.requestLog.slice(from)) {
    const counts = (byInstance[entry.instance] ??= { requests: 0, withCredentials: 0 });
    counts.requests += 1;
    if (entry.authorization) counts.withCredentials += 1;
  }
  return byInstance;
}

/** Every credential any server received must be the primary's token, and only where allowed. */
function expectCredentialsOnlyAt(from: number, allowed: string[]): void {
  for (const entry of world.topology.state.requestLog.slice(from)) {
    if (!entry.authorization) continue;
    expect(allowed, `${entry.method} ${entry.path} on ${entry.instance} carried credentials`).toContain(entry.instance);
    expect(entry.authorization).toBe(bearer());
  }
}

async function freshParent(name: string): Promise<string> {
  const dir = path.join(world.workspace, name);
  await mkdir(dir);
  return dir;
}

const setHandMirror = (baseUrl: string) => world.helper.client.call('primaries.setManualMirrors', { baseUrl: primary(), mirrors: [{ name: 'Hand', baseUrl }] });

describe('a mirror added by hand', () => {
  let firstClone: string;

  it('is asked without the token until allowed: its clone refuses, says how to allow it, and the primary serves', async () => {
    const added = await setHandMirror(handUrl());
    expect(added.manualMirrors).toEqual([{ name: 'Hand', baseUrl: handUrl() }]);
    const from = world.topology.state.requestLog.length;
    const parent = await freshParent('before');
    const job = await cloneAndWait(world.helper.client, { repository: 'PROJ/repo', primary: primary(), parentDirectory: parent, source: 'Hand' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.source.name).not.toBe('Hand');
    const refused = job.attempts.find((attempt) => attempt.source.name === 'Hand');
    expect(refused?.ok).toBe(false);
    expect(refused?.error).toContain(`Hand was asked without your token for ${new URL(primary()).host}`);
    expect(refused?.error).toContain(`--send-token-to ${handHost()}`);

    const log = logSince(from);
    expect(log.hand!.requests).toBeGreaterThan(0); // it was probed, listed and tried
    expect(log.hand!.withCredentials).toBe(0);
    expect(log.primary!.withCredentials).toBeGreaterThan(0);
    expectCredentialsOnlyAt(from, ['primary', 'near']);

    // Later fetches by plain git: our credential helper is set up, and answers, only for vouched origins.
    firstClone = job.result!.path;
    const config = await readFile(path.join(firstClone, '.git', 'config'), 'utf8');
    expect(config).toContain(`[credential "${new URL(primary()).origin}"]`);
    expect(config).not.toContain(`[credential "${new URL(handUrl()).origin}"]`);
    // Our credential helper answers by the same rule: the primary's origin, not the hand-added mirror's.
    const stored = createPrimariesStore(world.helper.dataDir).list();
    expect(primaryVouchingFor(new URL(handUrl()).origin, stored)).toBeUndefined();
    expect(primaryVouchingFor(new URL(primary()).origin, stored)?.baseUrl).toBe(primary());
  }, 120_000);

  it('cannot be switched to without the token either, and the clone stays as it was', async () => {
    const from = world.topology.state.requestLog.length;
    const before = (await world.helper.client.call('clones.list', {})).find((clone) => clone.path === firstClone)!;
    const refused = await failure(world.helper.client.call('clones.switch', { path: firstClone, source: 'Hand' }));
    expect(refused).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining(`--send-token-to ${handHost()}`) });
    expect((await world.helper.client.call('clones.list', {})).find((clone) => clone.path === firstClone)!.fetchUrl).toBe(before.fetchUrl);
    expect(logSince(from).hand!.withCredentials).toBe(0);
    expectCredentialsOnlyAt(from, ['primary', 'near']);
  }, 120_000);

  it('is not allowed under another name than its own host', async () => {
    for (const host of ['evil.example.net', new URL(primary()).host, `${handHost()}.example.net`]) {
      const refused = await failure(world.helper.client.call('primaries.allowTokenForMirror', { baseUrl: primary(), mirrorBaseUrl: handUrl(), host }));
      expect(refused).toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining(`is not the host of Hand (${handHost()})`) });
    }
    // Consent cannot be slipped in through the list of mirrors either.
    const forged = await world.helper.client.call('primaries.setManualMirrors', {
      baseUrl: primary(),
      mirrors: [{ name: 'Hand', baseUrl: handUrl(), tokenAllowed: { host: handHost(), confirmedAt: '2020-01-01T00:00:00Z' } } as { name: string; baseUrl: string }],
    });
    expect(forged.manualMirrors[0]!.tokenAllowed).toBeUndefined();
  });

  it('gets the token once allowed by name: clone, top-up and switch from it authenticate', async () => {
    const allowed = await world.helper.client.call('primaries.allowTokenForMirror', { baseUrl: primary(), mirrorBaseUrl: handUrl(), host: handHost().toUpperCase() });
    expect(allowed.manualMirrors[0]).toMatchObject({ name: 'Hand', baseUrl: handUrl(), tokenAllowed: { host: handHost(), confirmedAt: expect.any(String) } });
    // Renaming keeps the consent: it belongs to the address.
    const renamed = await world.helper.client.call('primaries.setManualMirrors', { baseUrl: primary(), mirrors: [{ name: 'Hand', baseUrl: `${handUrl()}/` }] });
    expect(renamed.manualMirrors[0]!.tokenAllowed?.host).toBe(handHost());

    const from = world.topology.state.requestLog.length;
    const parent = await freshParent('after');
    const job = await cloneAndWait(world.helper.client, { repository: 'PROJ/repo', primary: primary(), parentDirectory: parent, source: 'Hand' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result).toMatchObject({ source: { name: 'Hand' }, fetchUrl: expect.stringContaining(handUrl()) });
    const config = await readFile(path.join(job.result!.path, '.git', 'config'), 'utf8');
    expect(config).toContain(`[credential "${new URL(handUrl()).origin}"]`);
    expect(config).not.toContain(world.topology.credentials.token);

    expect(primaryVouchingFor(new URL(handUrl()).origin, createPrimariesStore(world.helper.dataDir).list())?.baseUrl).toBe(primary());

    const switched = await world.helper.client.call('clones.switch', { path: firstClone, source: 'Hand' });
    expect(switched).toMatchObject({ changed: true, to: { name: 'Hand' } });
    const log = logSince(from);
    expect(log.hand!.withCredentials).toBeGreaterThan(0);
    expectCredentialsOnlyAt(from, ['primary', 'near', 'hand']);
  }, 120_000);

  it('loses the token when its address changes, until allowed again', async () => {
    // The same server under another host name is, for the consent, another server.
    const moved = handUrl().replace('127.0.0.1', 'localhost');
    const updated = await setHandMirror(moved);
    expect(updated.manualMirrors).toEqual([{ name: 'Hand', baseUrl: moved }]);
    const from = world.topology.state.requestLog.length;
    const parent = await freshParent('moved');
    const job = await cloneAndWait(world.helper.client, { repository: 'PROJ/repo', primary: primary(), parentDirectory: parent, source: 'Hand' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.source.name).not.toBe('Hand');
    expect(job.attempts.find((attempt) => attempt.source.name === 'Hand')?.error).toContain(`--send-token-to ${new URL(moved).host}`);
    expect(logSince(from).hand!.withCredentials).toBe(0);
    expectCredentialsOnlyAt(from, ['primary', 'near']);
    expect(await readdir(parent)).toEqual(['repo']);
    expect(primaryVouchingFor(new URL(moved).origin, createPrimariesStore(world.helper.dataDir).list())).toBeUndefined();
  }, 120_000);
});
