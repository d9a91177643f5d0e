/**
 * Discovery against the emulated Bitbucket: every variant of what a real primary and its mirrors
 * answer, through the real contract, with real git for the ref check.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { appendCommits } from '../fixtures/repogen/generate';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { oneNetwork } from '../support/clone-world';
import type { DiscoveryResult } from '../../shared/contract';

let topology: Topology;
let helper: InProcessHelper;

const byName = (result: DiscoveryResult, name: string) => result.candidates.find((candidate) => candidate.name === name)!;

beforeAll(async () => {
  topology = await startTopology({
    primary: { delayMs: 25 },
    mirrors: [
      { name: 'near', delayMs: 1 },
      { name: 'mid', delayMs: 8 },
      { name: 'spec-form', delayMs: 6, bodyForm: 'cloneUrls' },
      { name: 'retired', delayMs: 1, enabled: false },
      { name: 'lagging', delayMs: 3, frozen: true },
      { name: 'elsewhere', delayMs: 1 },
    ],
    projects: [{ key: 'PROJ', repos: [{ slug: 'repo', mirroredOn: ['near', 'mid', 'spec-form', 'retired', 'lagging'] }] }],
    users: [{ name: 'alice', personalRepos: [{ slug: 'notes', mirroredOn: ['near'] }] }],
  });
  // One network throughout: the machine's own interfaces may change under a busy test run.
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token, ...oneNetwork });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
});

afterEach(() => {
  for (const name of ['primary', ...Object.keys(topology.mirrors)]) topology.setFault(name, { kind: 'none' });
  for (const name of Object.keys(topology.mirrors)) topology.setMirrorStatus(name, 'RUNNING');
  topology.setMirroringAvailable(true);
  topology.setHtmlMode(null);
  topology.setRateLimit(null);
  topology.setCloneUrlWithUser(false);
});

// refresh: each test changes the world; a measurement cached by the previous test would hide it.
const discover = (repository: string, extra: { samples?: number; measureAll?: boolean; refresh?: boolean } = {}) =>
  helper.client.call('discovery.run', { repository, samples: 3, refresh: true, ...extra });
const browseUrl = () => `${topology.primary.baseUrl}/projects/PROJ/repos/repo/browse`;

describe('discovery against the emulated primary and mirrors', () => {
  it('chooses the nearest healthy mirror and explains why', async () => {
    const result = await discover(browseUrl());
    expect(result.repository).toMatchObject({ projectKey: 'PROJ', slug: 'repo', primaryBaseUrl: topology.primary.baseUrl });
    expect(result.chosen, JSON.stringify(result.candidates.map((c) => [c.name, c.rttMs, c.slowerThanMs, c.samples, c.connectMs]))).toBe(topology.mirrors.near!.id);
    expect(result.reason).toMatch(/^near: \d+(\.\d)? ms median vs /);
    expect(byName(result, 'near')).toMatchObject({ status: 'healthy', available: true, behind: false, chosen: true });
    expect(byName(result, 'near').cloneUrls.http).toBe(topology.repo('PROJ', 'repo').mirrorHttpUrl('near'));
  });

  it('reads the spec body form (cloneUrls) as well as links.clone', async () => {
    const result = await discover(browseUrl());
    expect(byName(result, 'spec-form')).toMatchObject({ status: 'healthy', cloneUrls: { http: topology.repo('PROJ', 'repo').mirrorHttpUrl('spec-form') } });
  });

  it('lists disabled mirrors and mirrors without the repository, but never offers them', async () => {
    const result = await discover(browseUrl());
    expect(byName(result, 'retired')).toMatchObject({ status: 'disabled', chosen: false, rttMs: null, cloneUrls: {} });
    expect(byName(result, 'elsewhere')).toMatchObject({ status: 'not-mirrored', mirrorStatus: 'NOT_MIRRORED', available: false, chosen: false });
  });

  it('marks a mirror behind the primary, and passes it over for a small repository, where its top-up would cost more than it saves', async () => {
    const repo = topology.repo('PROJ', 'repo');
    await appendCommits({ path: repo.diskPath, count: 1, message: 'ahead of the lagging mirror' });
    await Promise.all(['near', 'mid', 'spec-form'].map((name) => topology.syncNow(name)));
    topology.setFault('near', { kind: 'refuse' }); // leave `lagging` as the closest on the wire
    const result = await discover(browseUrl());
    expect(byName(result, 'lagging')).toMatchObject({ status: 'behind', behind: true, chosen: false, behindRefs: ['refs/heads/main'] });
    expect(byName(result, 'near')).toMatchObject({ status: 'unreachable', chosen: false });
    expect(result.chosen).not.toBe(topology.mirrors.lagging!.id);
    expect(byName(result, 'mid').behind).toBe(false);
  });

  it('skips a mirror that is starting up', async () => {
    topology.setMirrorStatus('near', 'STARTING');
    const result = await discover(browseUrl());
    expect(byName(result, 'near'), byName(result, 'near').reason).toMatchObject({ status: 'unhealthy', chosen: false });
    expect(result.chosen).not.toBe(topology.mirrors.near!.id);
  });

  it('strips user@ from the primary clone link', async () => {
    topology.setCloneUrlWithUser(true);
    const result = await discover(browseUrl());
    expect(result.repository.cloneUrls.http).toBe(topology.repo('PROJ', 'repo').httpUrl);
    expect(result.repository.cloneUrls.http).not.toContain('@');
  });

  it('falls back to the primary alone when mirroring is not available (409)', async () => {
    topology.setMirroringAvailable(false);
    const result = await discover(browseUrl());
    expect(result.mirroring).toBe('not-available');
    expect(result.candidates.map((candidate) => candidate.kind)).toEqual(['primary']);
    expect(result.chosen).toBe('primary');
  });

  it('finds personal repositories', async () => {
    const result = await discover(`${topology.primary.baseUrl}/users/alice/repos/notes/browse`);
    expect(result.repository).toMatchObject({ projectKey: '~ALICE', slug: 'notes' });
    expect(result.chosen).toBe(topology.mirrors.near!.id);
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    topology.setRateLimit({ capacity: 2, refillPerSecond: 1 });
    const result = await discover(browseUrl());
    expect(result.chosen).not.toBeNull();
  });

  it('measures every candidate to the end when asked, for tables', async () => {
    const result = await discover(browseUrl(), { measureAll: true });
    const primary = byName(result, 'Primary');
    expect(primary.rttMs).not.toBeNull();
    // 25 ms each way: the median round trip is about 50 ms.
    expect(primary.rttMs!).toBeGreaterThan(40);
    expect(result.reason).toMatch(/vs primary \d+ ms median$/);
  });
});

describe('what never happens', () => {
  it('sends no credentials to a self link or to /status, and credentials only to the primary and its mirrors', async () => {
    topology.state.requestLog.length = 0;
    await discover(browseUrl(), { measureAll: true });
    const log = topology.state.requestLog;
    const selfLinks = log.filter((entry) => entry.instance !== 'primary' && entry.path.includes('/rest/mirroring/'));
    expect(selfLinks.length).toBeGreaterThan(0);
    expect(selfLinks.every((entry) => entry.query.includes('jwt=') && entry.authorization === undefined)).toBe(true);
    expect(log.filter((entry) => entry.path.endsWith('/status')).every((entry) => entry.authorization === undefined)).toBe(true);
    // Mirrors get the token only for git (delegated authentication), never for REST.
    const toMirrors = log.filter((entry) => entry.instance !== 'primary' && entry.authorization !== undefined);
    expect(toMirrors.every((entry) => entry.path.includes('/scm/'))).toBe(true);
    expect(log.filter((entry) => entry.authorization !== undefined).every((entry) => entry.authorization === `Bearer ${topology.credentials.token}`)).toBe(true);
  });

  it.each([
    ['ext::sh -c touch% /tmp/pwned', 'remote helper'],
    ['file:///etc/passwd', 'file:// protocol'],
    ['ssh://-oProxyCommand=touch%20x/proj/repo.git', 'starts with "-"'],
  ])('refuses a hostile clone URL from a mirror (%s), naming the mirror', async (hostile, reason) => {
    const mid = topology.state.mirrors.find((mirror) => mirror.name === 'mid')!;
    mid.advertisedCloneUrl = hostile;
    try {
      const result = await discover(browseUrl());
      expect(byName(result, 'mid')).toMatchObject({ status: 'unsafe-url', chosen: false, cloneUrls: {}, reason: expect.stringContaining('Mirror "mid" advertised an unsafe clone URL') });
      expect(byName(result, 'mid').reason).toContain(reason);
      expect(JSON.stringify(result)).not.toContain(hostile);
    } finally {
      delete mid.advertisedCloneUrl;
    }
  });
});

describe('measurements per network', () => {
  it('reuses a recent measurement on the same network, without probing again', async () => {
    const first = await discover(browseUrl());
    const samples: string[] = [];
    // The first run keeps measuring ruled-out candidates in the background; only this run counts.
    const off = helper.client.on('discovery.sample', (sample) => sample.runId === 'second' && samples.push(sample.candidateId));
    const second = await helper.client.call('discovery.run', { repository: browseUrl(), samples: 3, runId: 'second' });
    off();
    expect(first.fromCache).toBe(false);
    expect(second.fromCache, JSON.stringify([first.candidates.map((c) => [c.id, c.status]), second.candidates.map((c) => [c.id, c.status])])).toBe(true);
    // The measurement's own time, not this call's (the cache stamps it as it stores it).
    expect(Math.abs(Date.parse(second.measuredAt) - Date.parse(first.measuredAt))).toBeLessThan(1_000);
    expect(second.chosen).toBe(first.chosen);
    expect(samples).toEqual([]);
  });

  it('names the candidates before measuring them', async () => {
    const order: string[] = [];
    const offCandidates = helper.client.on('discovery.candidates', ({ runId, candidates }) => {
      if (runId !== 'names-first') return;
      order.push('candidates');
      expect(candidates.find((candidate) => candidate.name === 'near')).toMatchObject({ kind: 'mirror', offered: true });
      expect(candidates.find((candidate) => candidate.name === 'retired')).toMatchObject({ status: 'disabled', offered: false });
    });
    const offSamples = helper.client.on('discovery.sample', ({ runId }) => runId === 'names-first' && order.push('sample'));
    await helper.client.call('discovery.run', { repository: browseUrl(), samples: 3, refresh: true, runId: 'names-first' });
    offCandidates();
    offSamples();
    expect(order[0]).toBe('candidates');
    expect(order.filter((entry) => entry === 'candidates')).toHaveLength(1);
    expect(order.length).toBeGreaterThan(1);
  });

  it('streams samples to clients while measuring, tagged with the run', async () => {
    const samples: { candidateId: string; kind: string; runId: string }[] = [];
    const off = helper.client.on('discovery.sample', (sample) => samples.push(sample));
    await helper.client.call('discovery.run', { repository: browseUrl(), samples: 3, refresh: true, runId: 'run-42' });
    off();
    // Earlier runs may still be measuring ruled-out candidates in the background: their samples
    // carry their own run ids.
    const near = samples.filter((sample) => sample.runId === 'run-42' && sample.candidateId === topology.mirrors.near!.id);
    expect(near.map((sample) => sample.kind)).toEqual(['connect', 'warmup', 'sample', 'sample', 'sample']);
  });
});

describe('discovery failures get clear messages', () => {
  it('a wrong token: UNAUTHORIZED with what to do', async () => {
    const stranger = await startInProcessHelper({ environmentToken: 'not-a-real-token' });
    try {
      await expect(stranger.client.call('discovery.run', { repository: browseUrl() })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        hint: expect.stringContaining('HTTP access token'),
      });
    } finally {
      await stranger.stop();
    }
  });

  it('an HTML page instead of JSON: NOT_BITBUCKET', async () => {
    topology.setHtmlMode(200);
    await expect(discover(browseUrl())).rejects.toMatchObject({ code: 'NOT_BITBUCKET', hint: expect.stringContaining('context path') });
  });

  it('a repository that does not exist: NOT_FOUND naming it', async () => {
    await expect(discover(`${topology.primary.baseUrl}/projects/PROJ/repos/nope/browse`)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('PROJ/nope') });
  });

  it('a primary that is down: NETWORK, refused', async () => {
    // A fresh helper: the shared one holds kept-alive connections that a new fault does not cut.
    const fresh = await startInProcessHelper({ environmentToken: topology.credentials.token });
    topology.setFault('primary', { kind: 'refuse' });
    try {
      await expect(fresh.client.call('discovery.run', { repository: browseUrl() })).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringContaining('refused') });
    } finally {
      await fresh.stop();
    }
  });

  it('something that is not a repository reference: INVALID_PARAMS with the accepted forms', async () => {
    await expect(discover('just words')).rejects.toMatchObject({ code: 'INVALID_PARAMS', hint: expect.stringContaining('PROJECT/repository') });
  });
});
