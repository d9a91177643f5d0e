/**
 * A big repository cloned in steps through the helper, against the emulated Bitbucket: the result
 * is the same clone one pack gives; a cut or a stall loses only the step in flight and the clone
 * continues (from the same server, or the next); a small repository still goes in one pack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { oneNetwork, startCloneWorld, type CloneWorld } from '../support/clone-world';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { cloneAndWait } from '../support/clone-job';
import { realisticHistory, sourceCodeHistory } from '../fixtures/bitbucket/repo-population';
import { describeClone, git } from '../support/git';
import type { CloneJob } from '../../shared/contract';

const bigBytes = 6_000_000;
// Every clone here starts with its history in one fetch, whatever broke before on this network
// (the last test shows what a break changes for the next clone).
const steps = { minimumBytes: 2_000_000, stepBytes: 1_000_000, stallSeconds: 2, deepenFromStart: false };
const retry = { attemptsPerSource: 2, backoff: { baseMs: 20, maxMs: 50, jitter: 0 } };

let world: CloneWorld;
/** The same helper with steps turned off: what one pack gives. */
let onePack: InProcessHelper;

beforeAll(async () => {
  world = await startCloneWorld(
    {
      primary: { delayMs: 10 },
      mirrors: [
        { name: 'near', delayMs: 2, bandwidthBytesPerSec: 8_000_000 },
        { name: 'next', delayMs: 6, bandwidthBytesPerSec: 8_000_000 },
      ],
      projects: [
        {
          key: 'PROJ',
          repos: [
            { slug: 'big', sizeBytes: bigBytes, seed: 11, branches: ['feature', 'release'], tags: ['v1', 'v2'], ...realisticHistory() },
            { slug: 'small', sizeBytes: 300_000 },
            { slug: 'code', sizeBytes: bigBytes, seed: 12, branches: ['release'], tags: ['v1'], ...sourceCodeHistory() },
          ],
        },
      ],
    },
    { name: 'clone-steps', helper: () => ({ options: { cloneRetry: retry, cloneSteps: steps, ...oneNetwork } }) },
  );
  onePack = await startInProcessHelper({ environmentToken: world.topology.credentials.token, cloneRetry: retry, cloneSteps: { minimumBytes: Number.MAX_SAFE_INTEGER } });
  // What one pack gives, to compare every stepped clone with.
  const parent = await freshParent('plain');
  const { result: job, bytes } = await bytesWhile(() => clone(onePack, parent, 'PROJ/big', 'near'));
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  plain = { clone: await describeClone(path.join(parent, 'big')), bytes };
  const codeParent = await freshParent('plain-code');
  const code = await bytesWhile(() => clone(onePack, codeParent, 'PROJ/code', 'near'));
  expect(code.result.state, JSON.stringify(code.result.error)).toBe('done');
  plainCode = { clone: await describeClone(path.join(codeParent, 'code')), bytes: code.bytes };
});

afterAll(async () => {
  await onePack?.stop();
  await world?.stop();
});

afterEach(() => {
  for (const name of ['primary', ...Object.keys(world.topology.mirrors)]) world.topology.setFault(name, { kind: 'none' });
});

async function freshParent(name: string): Promise<string> {
  const dir = path.join(world.workspace, name);
  await mkdir(dir);
  return dir;
}

/** Bytes every instance sent while `work` ran. */
async function bytesWhile<T>(work: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const proxies = [world.topology.primary.proxy, ...Object.values(world.topology.mirrors).map((mirror) => mirror.proxy)];
  const before = proxies.reduce((sum, proxy) => sum + proxy.bytesDownstream, 0);
  const result = await work();
  return { result, bytes: proxies.reduce((sum, proxy) => sum + proxy.bytesDownstream, 0) - before };
}

/** Fetches (upload-pack requests) a mirror served while `work` ran. */
async function fetchesWhile<T>(instance: string, work: () => Promise<T>): Promise<{ result: T; fetches: number }> {
  const before = world.topology.state.requestLog.length;
  const result = await work();
  const fetches = world.topology.state.requestLog.slice(before).filter((request) => request.instance === instance && request.method === 'POST' && request.path.endsWith('/git-upload-pack')).length;
  return { result, fetches };
}

const clone = (helper: InProcessHelper, parentDirectory: string, repository = 'PROJ/big', source?: string) =>
  cloneAndWait(helper.client, { repository, parentDirectory, primary: world.topology.primary.baseUrl, ...(source ? { source } : {}) });

/** The clone equals the one-pack clone, but for the server it came from. */
async function expectSameClone(clonePath: string, job: CloneJob): Promise<void> {
  const sourceLines = (line: string) => !/^(remote\.origin\.url|mirrorclone\.source(id|name))=/.test(line);
  const described = await describeClone(clonePath);
  expect({ ...described, config: described.config.filter(sourceLines) }).toEqual({ ...plain.clone, config: plain.clone.config.filter(sourceLines) });
  expect(await git(clonePath, 'config', 'remote.origin.url')).toBe(job.result!.source.url);
}

let plain: { clone: Awaited<ReturnType<typeof describeClone>>; bytes: number };
/** The same for a history like source code, stored mostly as deltas. */
let plainCode: typeof plain;

describe('a big repository in steps', () => {
  it('over a clean link: several fetches, about the bytes of one pack, the same clone', async () => {
    const parent = await freshParent('clean');
    const progress: number[] = [];
    const off = world.helper.client.on('clone.progress', (event) => progress.push(event.progress.value));
    const { result: counted, bytes } = await bytesWhile(() => fetchesWhile('near', () => clone(world.helper, parent)));
    off();
    const job = counted.result;
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const { fetches: onePackFetches } = await fetchesWhile('near', async () => clone(onePack, await freshParent('clean-one-pack'), 'PROJ/big', 'near'));
    expect(counted.fetches).toBeGreaterThanOrEqual(onePackFetches + 3);
    expect(bytes / plain.bytes).toBeLessThan(1.1);
    expect(await describeClone(path.join(parent, 'big'))).toEqual(plain.clone);
    expect(plain.clone.shallow).toBe('false');
    expect(plain.clone.fsck).toBe('');
    expect(job.result!.reason).toContain('in steps');
    expect(await readdir(parent)).toEqual(['big']);
    expect(await readdir(path.join(parent, 'big', '.git'))).not.toContain('mirror-clone-resumable.json');
    // One bar across every step: it never goes back.
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((value, index) => index === 0 || value >= progress[index - 1]!)).toBe(true);
  });

  it('a cut at 40% continues from the last complete step and ends in the same clone', async () => {
    world.topology.setFault('near', { kind: 'cut-after-bytes', bytes: Math.round(plain.bytes * 0.4), times: 1, counted: 'since-set' }, 'http');
    const parent = await freshParent('cut-40');
    const texts: string[] = [];
    const off = world.helper.client.on('clone.progress', (event) => texts.push(event.progress.text));
    const { result: job, bytes } = await bytesWhile(() => clone(world.helper, parent, 'PROJ/big', 'near')).finally(off);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.attempts.map((attempt) => `${attempt.source.name} ${attempt.ok}`)).toEqual(['near false', 'near true']);
    // Reading what arrived says so while it takes; then only what is missing comes.
    expect(texts.some((text) => /^Keeping what arrived before the break: .* of /.test(text))).toBe(true);
    expect(texts.some((text) => text.startsWith('The rest of the history, carried on from the break'))).toBe(true);
    expect(bytes / plain.bytes).toBeLessThan(1.25);
    expect(await describeClone(path.join(parent, 'big'))).toEqual(plain.clone);
  });

  it('the bar does not jump back when a step cut part-way comes again', async () => {
    const parent = await freshParent('cut-bar');
    const fast = { delayMs: 2, bandwidthBytesPerSec: 8_000_000 };
    const shown: { value: number; bytes: number }[] = [];
    let reportedWhileSlow = 0;
    let cut = false;
    // Once the newest commit is in (a seventh of this repository), the link slows down so that git
    // reports the bytes of the history in flight (it does about once a second); after two such
    // reports the connection is cut.
    const offProgress = world.helper.client.on('clone.progress', (event) => {
      const last = shown.at(-1);
      shown.push({ value: event.progress.value, bytes: event.progress.receivedBytes ?? 0 });
      if (event.progress.value <= 0.1) return;
      if (cut) return;
      if (reportedWhileSlow === 0) world.topology.setShape('near', { delayMs: 2, bandwidthBytesPerSec: 150_000 }, 'http');
      if (last && shown.at(-1)!.bytes > last.bytes) reportedWhileSlow += 1;
      if (reportedWhileSlow === 2 && !cut) {
        cut = true;
        world.topology.setFault('near', { kind: 'cut-after-bytes', bytes: 0, times: 1, counted: 'since-set' }, 'http');
      }
    });
    const offState = world.helper.client.on('clone.state', ({ job: state }) => {
      if (state.attempts.length === 0) return;
      world.topology.setFault('near', { kind: 'none' }, 'http');
      world.topology.setShape('near', fast, 'http');
    });
    const job = await clone(world.helper, parent, 'PROJ/big', 'near').finally(() => {
      offProgress();
      offState();
      world.topology.setShape('near', fast, 'http');
    });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.attempts.map((attempt) => `${attempt.source.name} ${attempt.ok}`)).toEqual(['near false', 'near true']);
    expect(shown.every((now, index) => index === 0 || (now.value >= shown[index - 1]!.value && now.bytes >= shown[index - 1]!.bytes))).toBe(true);
  }, 60_000);

  it('a server that speaks only protocol v0 cannot send objects by id: after a cut the history comes in deepen steps', async () => {
    world.topology.state.switches.onlyProtocolV0.push('near');
    world.topology.setFault('near', { kind: 'cut-after-bytes', bytes: Math.round(plain.bytes * 0.4), times: 1, counted: 'since-set' }, 'http');
    try {
      const parent = await freshParent('cut-v0');
      const { result: counted, bytes } = await bytesWhile(() => fetchesWhile('near', () => clone(world.helper, parent, 'PROJ/big', 'near')));
      const job = counted.result;
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      expect(job.attempts.map((attempt) => `${attempt.source.name} ${attempt.ok}`)).toEqual(['near false', 'near true']);
      // The tip, the cut history fetch, the refused request by id, then steps of about a sixth each.
      expect(counted.fetches).toBeGreaterThanOrEqual(6);
      // What the cut fetch brought could not be completed by id: about that much comes again, no more.
      expect(bytes / plain.bytes).toBeLessThan(1.5);
      expect(await describeClone(path.join(parent, 'big'))).toEqual(plain.clone);
    } finally {
      world.topology.state.switches.onlyProtocolV0.length = 0;
      world.topology.setFault('near', { kind: 'none' }, 'http');
    }
  }, 60_000);

  it('a source that cuts every time: the next source continues and the clone is theirs', async () => {
    // After 40% of the clone, every connection to near is cut at once.
    world.topology.setFault('near', { kind: 'cut-after-bytes', bytes: Math.round(plain.bytes * 0.4), counted: 'since-set' }, 'http');
    const parent = await freshParent('cut-always');
    const { result: job, bytes } = await bytesWhile(() => clone(world.helper, parent));
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.source.name).not.toBe('near');
    expect(job.attempts.filter((attempt) => !attempt.ok).every((attempt) => attempt.source.name === 'near')).toBe(true);
    // What near delivered before it broke was kept, not fetched again.
    expect(bytes / plain.bytes).toBeLessThan(1.25);
    await expectSameClone(path.join(parent, 'big'), job);
  });

  it('a stalled step is given up and continued', async () => {
    world.topology.setFault('near', { kind: 'stall-after-bytes', bytes: Math.round(plain.bytes * 0.5), times: 1, counted: 'since-set' }, 'http');
    const parent = await freshParent('stall');
    const { result: job, bytes } = await bytesWhile(() => clone(world.helper, parent, 'PROJ/big', 'near'));
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.attempts.map((attempt) => `${attempt.source.name} ${attempt.ok}`)).toEqual(['near false', 'near true']);
    expect(bytes / plain.bytes).toBeLessThan(1.25);
    expect(await describeClone(path.join(parent, 'big'))).toEqual(plain.clone);
  }, 60_000);
});

describe('a history stored mostly as deltas (source code)', () => {
  // Asked for by id, a missing delta comes whole: what arrived is completed that way only when it
  // is most of the history; otherwise the history comes in deepen steps, newest first.
  for (const [share, way] of [
    [0.4, 'comes in deepen steps after a cut early in its history'],
    [0.9, 'is completed by id after a cut late in its history'],
  ] as const) {
    it(way, async () => {
      world.topology.setFault('near', { kind: 'cut-after-bytes', bytes: Math.round(plainCode.bytes * share), times: 1, counted: 'since-set' }, 'http');
      const parent = await freshParent(`code-cut-${share}`);
      const { result: counted, bytes } = await bytesWhile(() => fetchesWhile('near', () => clone(world.helper, parent, 'PROJ/code', 'near')));
      const job = counted.result;
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      expect(job.attempts.map((attempt) => `${attempt.source.name} ${attempt.ok}`)).toEqual(['near false', 'near true']);
      const clean = await fetchesWhile('near', async () => clone(world.helper, await freshParent(`code-clean-${share}`), 'PROJ/code', 'near'));
      if (share === 0.4) expect(counted.fetches).toBeGreaterThanOrEqual(clean.fetches + 4);
      else expect(counted.fetches).toBeLessThanOrEqual(clean.fetches + 4);
      expect(bytes / plainCode.bytes).toBeLessThan(1.6);
      expect(await describeClone(path.join(parent, 'code'))).toEqual(plainCode.clone);
    }, 90_000);
  }
});

describe('a clone that stopped part-way', () => {
  it('is kept, marked resumable, and the same clone run again continues it', async () => {
    for (const name of ['primary', 'near', 'next']) world.topology.setFault(name, { kind: 'cut-after-bytes', bytes: Math.round(plain.bytes * 0.25), counted: 'since-set' }, 'http');
    const parent = await freshParent('rerun');
    const failed = await clone(world.helper, parent);
    expect(failed.state).toBe('failed');
    expect(failed.error?.hint).toContain('continue');
    // Past its newest commit it was ready to work: it waits at its destination, with its note.
    expect(failed.ready?.path).toBe(path.join(parent, 'big'));
    expect(await readdir(parent)).toEqual(['big']);
    expect(await readdir(path.join(parent, 'big', '.git'))).toContain('mirror-clone-resumable.json');

    for (const name of ['primary', 'near', 'next']) world.topology.setFault(name, { kind: 'none' });
    const { result: job, bytes } = await bytesWhile(() => clone(world.helper, parent));
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.reason).toContain('continued');
    expect(bytes / plain.bytes).toBeLessThan(0.75);
    expect(await readdir(parent)).toEqual(['big']);
    await expectSameClone(path.join(parent, 'big'), job);
  }, 60_000);

  it('is not continued by a clone that asks for one branch: that one starts afresh and checks out the branch asked for', async () => {
    // Cut before the newest commit is in: the part-way clone waits in its temporary folder.
    for (const name of ['primary', 'near', 'next']) world.topology.setFault(name, { kind: 'cut-after-bytes', bytes: Math.round(plain.bytes * 0.04), counted: 'since-set' }, 'http');
    const parent = await freshParent('rerun-branch');
    const failed = await clone(world.helper, parent);
    expect(failed.state).toBe('failed');
    expect(failed.ready).toBeUndefined();
    expect((await readdir(parent))[0]).toMatch(/^\.big\.mirror-clone-[0-9a-f]{8}$/);
    for (const name of ['primary', 'near', 'next']) world.topology.setFault(name, { kind: 'none' });

    const job = await cloneAndWait(world.helper.client, { repository: 'PROJ/big', parentDirectory: parent, primary: world.topology.primary.baseUrl, branch: 'release' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.reason).not.toContain('continued');
    expect(await readdir(parent)).toEqual(['big']);
    expect(await git(path.join(parent, 'big'), 'symbolic-ref', 'HEAD')).toBe('refs/heads/release');
  }, 60_000);

  it('clone.retry of the failed job continues it too', async () => {
    for (const name of ['primary', 'near', 'next']) world.topology.setFault(name, { kind: 'cut-after-bytes', bytes: Math.round(plain.bytes * 0.25), counted: 'since-set' }, 'http');
    const parent = await freshParent('retry');
    const failed = await clone(world.helper, parent);
    expect(failed.state).toBe('failed');
    for (const name of ['primary', 'near', 'next']) world.topology.setFault(name, { kind: 'none' });

    const { result: job, bytes } = await bytesWhile(async () => {
      const finished = new Promise<CloneJob>((resolve) => {
        const off = world.helper.client.on('clone.state', ({ job: state }) => {
          if (state.retryOf === failed.jobId && state.finishedAt) {
            off();
            resolve(state);
          }
        });
      });
      await world.helper.client.call('clone.retry', { jobId: failed.jobId });
      return finished;
    });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.result!.reason).toContain('continued');
    expect(bytes / plain.bytes).toBeLessThan(0.85);
    expect(await readdir(parent)).toEqual(['big']);
  }, 60_000);
  // Cancelling, before and after the clone is ready to work: clone-ready.test.ts.
});

describe('a network where a transfer broke', () => {
  it('has the next big clone fetch its history in deepen steps from the start, where it came in one fetch before', async () => {
    const remembering = await startInProcessHelper({ environmentToken: world.topology.credentials.token, cloneRetry: retry, cloneSteps: { minimumBytes: 2_000_000, stepBytes: 1_000_000, stallSeconds: 2 }, ...oneNetwork });
    try {
      const before = await fetchesWhile('near', async () => clone(remembering, await freshParent('memory-before'), 'PROJ/big', 'near'));
      expect(before.result.state).toBe('done');
      world.topology.setFault('near', { kind: 'cut-after-bytes', bytes: Math.round(plain.bytes * 0.5), times: 1, counted: 'since-set' }, 'http');
      const broken = await clone(remembering, await freshParent('memory-break'), 'PROJ/big', 'near');
      expect(broken.attempts.map((attempt) => `${attempt.source.name} ${attempt.ok}`)).toEqual(['near false', 'near true']);
      const parent = await freshParent('memory-after');
      const after = await fetchesWhile('near', () => clone(remembering, parent, 'PROJ/big', 'near'));
      expect(after.result.state).toBe('done');
      // Steps of about a sixth of the repository each, where the history came in one before.
      expect(after.fetches).toBeGreaterThanOrEqual(before.fetches + 3);
      expect(await describeClone(path.join(parent, 'big'))).toEqual(plain.clone);
    } finally {
      await remembering.stop();
    }
  }, 90_000);
});

describe('a small repository', () => {
  it('still goes in one pack: the requests of a clone with steps turned off', async () => {
    const { result: job, fetches } = await fetchesWhile('near', () => clone(world.helper, world.workspace, 'PROJ/small', 'near'));
    const { result: plainJob, fetches: plainFetches } = await fetchesWhile('near', async () => clone(onePack, await freshParent('small-one-pack'), 'PROJ/small', 'near'));
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(plainJob.state, JSON.stringify(plainJob.error)).toBe('done');
    expect(fetches).toBe(plainFetches);
    expect(job.result!.reason).not.toContain('steps');
  });
});
