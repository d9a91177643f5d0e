/**
 * The repository's size comes from the primary's `/sizes` answer when it can be asked safely:
 * with a password always, with an access token only on a release that takes tokens outside /rest
 * and /scm. Newer releases refuse (and can lock the account), so they are never sent a token there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';

let older: Topology;
let newer: Topology;
let keyring: TestKeyring;
let connected: InProcessHelper;
let tokenOnly: InProcessHelper;
let tokenOnlyNewer: InProcessHelper;

beforeAll(async () => {
  const projects = [{ key: 'PROJ', repos: [{ slug: 'repo', sizeBytes: 200_000, commits: 3 }] }];
  [older, newer, keyring] = await Promise.all([
    startTopology({ version: '8.19.1', primary: { ssh: false }, mirrors: [{ name: 'near' }], projects }),
    startTopology({ version: '9.4.0', primary: { ssh: false }, mirrors: [{ name: 'near' }], projects }),
    startTestKeyring(),
  ]);
  Object.assign(process.env, { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR, XDG_DATA_HOME: keyring.env.XDG_DATA_HOME });
  connected = await startInProcessHelper();
  for (const world of [older, newer]) {
    await connected.client.call('primaries.add', { baseUrl: world.primary.baseUrl, credentials: { kind: 'token', token: world.credentials.token } });
  }
  tokenOnly = await startInProcessHelper({ environmentToken: older.credentials.token });
  tokenOnlyNewer = await startInProcessHelper({ environmentToken: newer.credentials.token });
});

afterAll(async () => {
  await tokenOnly?.stop();
  await tokenOnlyNewer?.stop();
  await connected?.stop();
  await Promise.all([older?.stop(), newer?.stop(), keyring?.stop()]);
});

const sizesRequests = (world: Topology) => world.state.requestLog.filter((entry) => entry.path.endsWith('/sizes'));
const tokenOutsideRestAndScm = (world: Topology) =>
  world.state.requestLog.filter((entry) => entry.authorization !== undefined && !/^\/(rest|scm)\//.test(entry.path));

describe('repository size', () => {
  it('is the primary\'s estimate on a release that takes a token there', async () => {
    const answer = await fetch(`${older.primary.baseUrl}/projects/PROJ/repos/repo/sizes`, {
      headers: { Authorization: `Basic ${Buffer.from(`${older.credentials.user}:${older.credentials.password}`).toString('base64')}` },
    }).then((response) => response.json() as Promise<{ repository: number }>);
    const result = await connected.client.call('discovery.run', { repository: `${older.primary.baseUrl}/projects/PROJ/repos/repo/browse`, samples: 1, refresh: true });
    expect(answer.repository).toBeGreaterThan(100_000);
    expect(result.repository.sizeBytes).toBe(answer.repository);
  });

  it('is not asked of a release that refuses tokens outside /rest and /scm: no token goes there', async () => {
    newer.state.requestLog.length = 0;
    const result = await connected.client.call('discovery.run', { repository: `${newer.primary.baseUrl}/projects/PROJ/repos/repo/browse`, samples: 1, refresh: true });
    expect(result.repository.sizeBytes).toBeNull();
    expect(result.chosen).not.toBeNull();
    expect(sizesRequests(newer)).toEqual([]);
    expect(tokenOutsideRestAndScm(newer)).toEqual([]);
  });

  it('asks a primary that is not connected (a token from the environment) for its release first: sizes from an older one, no token outside /rest and /scm to a newer one', async () => {
    older.state.requestLog.length = 0;
    const result = await tokenOnly.client.call('discovery.run', { repository: `${older.primary.baseUrl}/projects/PROJ/repos/repo/browse`, samples: 1, refresh: true });
    expect(result.repository.sizeBytes).toBeGreaterThan(100_000);
    const askedRelease = older.state.requestLog.filter((entry) => entry.path.endsWith('/application-properties'));
    expect(askedRelease.length).toBeGreaterThan(0);
    expect(askedRelease.every((entry) => entry.authorization === undefined)).toBe(true);

    newer.state.requestLog.length = 0;
    const refused = await tokenOnlyNewer.client.call('discovery.run', { repository: `${newer.primary.baseUrl}/projects/PROJ/repos/repo/browse`, samples: 1, refresh: true });
    expect(refused.repository.sizeBytes).toBeNull();
    expect(sizesRequests(newer)).toEqual([]);
    expect(tokenOutsideRestAndScm(newer)).toEqual([]);
  });

  it('and the last change reach the browse list per repository: the newest commit of the default branch', async () => {
    const basic = `Basic ${Buffer.from(`${older.credentials.user}:${older.credentials.password}`).toString('base64')}`;
    const asked = async (world: Topology, suffix: string) => (await fetch(`${world.primary.baseUrl}${suffix}`, { headers: { Authorization: basic } })).json();
    const commits = (await asked(older, '/rest/api/1.0/projects/PROJ/repos/repo/commits?limit=1')) as { values: { id: string; committerTimestamp: number; author: { name: string } }[]; isLastPage: boolean; nextPageStart: number };
    expect(commits.values).toHaveLength(1);
    expect(commits.isLastPage).toBe(false);
    const sizes = (await asked(older, '/projects/PROJ/repos/repo/sizes')) as { repository: number };

    const details = await connected.client.call('repositories.details', { primary: older.primary.baseUrl, projectKey: 'PROJ', slug: 'repo' });
    expect(details).toEqual({ sizeBytes: sizes.repository, lastChange: { at: new Date(commits.values[0]!.committerTimestamp).toISOString(), author: commits.values[0]!.author.name } });

    // A newer release: the size cannot be asked with a token, the last change still can.
    newer.state.requestLog.length = 0;
    const newerDetails = await connected.client.call('repositories.details', { primary: newer.primary.baseUrl, projectKey: 'PROJ', slug: 'repo' });
    expect(newerDetails.sizeBytes).toBeNull();
    expect(Date.parse(newerDetails.lastChange!.at)).toBeGreaterThan(Date.parse('2000-01-01'));
    expect(sizesRequests(newer)).toEqual([]);
    expect(tokenOutsideRestAndScm(newer)).toEqual([]);

    await expect(connected.client.call('repositories.details', { primary: older.primary.baseUrl, projectKey: 'PROJ', slug: 'no-such-repo' })).resolves.toEqual({ sizeBytes: null, lastChange: null });
  });
});
