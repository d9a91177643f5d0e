/** How a stepped clone is planned and how its resumable note is found (clone/steps/). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nextDeepenCommits, planSteps, stallEnvironment, stepBytesFor } from '../../electron/helper/clone/steps/step-plan';
import { readResumeMarker, resumableClones, writeResumeMarker } from '../../electron/helper/clone/steps/resume-marker';
import { sameRepository } from '../../electron/helper/clone/identity';
import { removeStaleLocks } from '../../electron/helper/clone/steps/stale-locks';
import { discardInterruptedTemporary } from '../../electron/helper/clone/job-journal';
import { shallowFetchArguments } from '../../electron/helper/git/shallow-fetch';
import { makeTempDir } from '../support/temp-dir';

const MB = 1024 * 1024;

describe('planning a stepped clone', () => {
  it('steps a big repository in eighths, never below the smallest step', () => {
    expect(planSteps({ sizeBytes: 800 * MB, engine: 'native', protocol: 'http' })).toMatchObject({ stepBytes: 100 * MB });
    expect(stepBytesFor(40 * MB)).toBe(8 * MB);
  });

  it('on a slow link keeps a step to a minute of transfer; a step size given stays as given', () => {
    expect(planSteps({ sizeBytes: 3000 * MB, engine: 'native', protocol: 'http', bytesPerSecond: MB })).toMatchObject({ stepBytes: 60 * MB });
    expect(stepBytesFor(3000 * MB, {}, 100 * MB)).toBe(375 * MB);
    expect(stepBytesFor(3000 * MB, {}, 10_000)).toBe(8 * MB);
    expect(stepBytesFor(3000 * MB, { stepBytes: MB }, 10_000)).toBe(MB);
  });

  it('keeps one pack for a small repository, an unknown size, a local mirror, --depth, --branch, or in-process git', () => {
    expect(planSteps({ sizeBytes: 20 * MB, engine: 'native', protocol: 'http' })).toBeUndefined();
    expect(planSteps({ sizeBytes: null, engine: 'native', protocol: 'http' })).toBeUndefined();
    expect(planSteps({ sizeBytes: 800 * MB, engine: 'native', protocol: 'http', reference: '/cache/repo.git' })).toBeUndefined();
    expect(planSteps({ sizeBytes: 800 * MB, engine: 'native', protocol: 'http', depth: 1 })).toBeUndefined();
    expect(planSteps({ sizeBytes: 800 * MB, engine: 'native', protocol: 'http', branch: 'release' })).toBeUndefined();
    expect(planSteps({ sizeBytes: 800 * MB, engine: 'isomorphic-git', protocol: 'http' })).toBeUndefined();
  });

  it('steps over SSH too, where ssh itself notices a link gone silent', () => {
    expect(planSteps({ sizeBytes: 800 * MB, engine: 'native', protocol: 'ssh' })).toMatchObject({ stepBytes: 100 * MB });
    const settings = { minimumBytes: 0, stepBytes: MB, stallSeconds: 30 };
    expect(stallEnvironment(settings, { GIT_SSH_COMMAND: 'ssh -o ServerAliveInterval=5 -o BatchMode=yes' }).GIT_SSH_COMMAND).toBe(
      'ssh -o ServerAliveInterval=5 -o BatchMode=yes -o ServerAliveInterval=10 -o ServerAliveCountMax=3',
    );
    expect(stallEnvironment({ ...settings, stallSeconds: 2 }, { GIT_SSH_COMMAND: 'ssh' }).GIT_SSH_COMMAND).toBe('ssh -o ServerAliveInterval=1 -o ServerAliveCountMax=3');
    expect(stallEnvironment(settings, {})).toEqual({ GIT_HTTP_LOW_SPEED_LIMIT: '1', GIT_HTTP_LOW_SPEED_TIME: '30' });
  });

  it('sizes each deepen step by the bytes per commit the last one brought, growing at most eightfold', () => {
    expect(nextDeepenCommits(10 * MB, undefined)).toBe(8);
    expect(nextDeepenCommits(10 * MB, { commits: 8, bytes: 8 * MB })).toBe(10);
    expect(nextDeepenCommits(10 * MB, { commits: 8, bytes: 1000 })).toBe(64);
    expect(nextDeepenCommits(10 * MB, { commits: 8, bytes: 800 * MB })).toBe(1);
  });
});

describe('the resumable note', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => (dir = await makeTempDir('clone-steps')));
  afterEach(async () => dir.cleanup());

  const repository = { primaryBaseUrl: 'https://bitbucket.example.com', projectKey: 'PROJ', slug: 'app' };
  async function partialClone(name: string, destination: string, repo = repository) {
    const temporary = path.join(dir.path, name);
    await mkdir(path.join(temporary, '.git'), { recursive: true });
    await writeResumeMarker(temporary, { repository: repo, destination, receivedBytes: 10, expectedBytes: 100, stepsDone: 1, complete: false });
    return temporary;
  }

  it('finds the part-way clone of the same repository for the same destination only', async () => {
    const destination = path.join(dir.path, 'app');
    const mine = await partialClone('.app.mirror-clone-0a1b2c3d', destination);
    await partialClone('.app.mirror-clone-11111111', path.join(dir.path, 'elsewhere'));
    await partialClone('.app.mirror-clone-22222222', destination, { ...repository, slug: 'other' });
    await mkdir(path.join(dir.path, '.app.mirror-clone-33333333', '.git'), { recursive: true });
    const waiting = await resumableClones(destination);
    expect(waiting.filter((found) => sameRepository(found.marker.repository, repository)).map((found) => found.temporaryPath)).toEqual([mine]);
    expect(waiting.map((found) => found.marker.repository.slug).sort()).toEqual(['app', 'other']);
  });

  it('a damaged note makes the folder an ordinary half-made one', async () => {
    const temporary = await partialClone('.app.mirror-clone-0a1b2c3d', path.join(dir.path, 'app'));
    await writeFile(path.join(temporary, '.git', 'mirror-clone-resumable.json'), '{"format":1');
    expect(await readResumeMarker(temporary)).toBeUndefined();
  });

  it('a starting helper keeps the resumable folder of an interrupted clone and removes a half-made one', async () => {
    const params = { repository: 'PROJ/app', parentDirectory: dir.path, protocol: 'http' as const, source: 'auto' };
    const resumable = await partialClone('.app.mirror-clone-0a1b2c3d', path.join(dir.path, 'app'));
    const halfMade = path.join(dir.path, '.app.mirror-clone-44444444');
    await mkdir(path.join(halfMade, '.git'), { recursive: true });
    for (const temporaryPath of [resumable, halfMade]) await discardInterruptedTemporary({ jobId: 'j', params, startedAt: '', pid: 1, resumes: 0, temporaryPath });
    expect(existsSync(resumable)).toBe(true);
    expect(existsSync(halfMade)).toBe(false);
  });

  it('removes the locks a killed git left, and nothing else', async () => {
    const git = path.join(dir.path, 'repo', '.git');
    await mkdir(path.join(git, 'refs', 'remotes', 'origin'), { recursive: true });
    for (const file of ['shallow.lock', 'refs/remotes/origin/main.lock', 'refs/remotes/origin/main', 'config']) await writeFile(path.join(git, file), '');
    expect(await removeStaleLocks(path.join(dir.path, 'repo'))).toBe(2);
    expect(existsSync(path.join(git, 'shallow.lock'))).toBe(false);
    expect(existsSync(path.join(git, 'refs/remotes/origin/main'))).toBe(true);
  });
});

describe('the fetch of one step', () => {
  const repository = path.resolve('/work/clone');
  const fetchOf = (step: Parameters<typeof shallowFetchArguments>[0]['step'], refspecs = ['+refs/heads/main:refs/remotes/origin/main'], remote = 'origin') =>
    shallowFetchArguments({ repository, remote, refspecs, step });

  it('asks for the tip, more history, or the rest with every tag, each after the options end', () => {
    expect(fetchOf({ kind: 'tip' })).toEqual(['-C', repository, 'fetch', '--progress', '--depth=1', '--no-tags', '--', 'origin', '+refs/heads/main:refs/remotes/origin/main']);
    expect(fetchOf({ kind: 'deepen', commits: 12 })).toContain('--deepen=12');
    expect(fetchOf({ kind: 'complete', unshallow: true }).slice(4, 6)).toEqual(['--unshallow', '--tags']);
    expect(fetchOf({ kind: 'complete', unshallow: false })).not.toContain('--unshallow');
  });

  it('refuses a branch, remote or step size that could pass for an option or is not one', () => {
    expect(() => fetchOf({ kind: 'tip' }, ['--upload-pack=touch /tmp/pwned'])).toThrow(/refspec/);
    expect(() => fetchOf({ kind: 'tip' }, ['+refs/heads/a b:refs/remotes/origin/a b'])).toThrow(/refspec/);
    expect(() => fetchOf({ kind: 'tip' }, undefined, '--exec=x')).toThrow();
    expect(() => fetchOf({ kind: 'deepen', commits: 0 })).toThrow(/commits/);
    expect(() => fetchOf({ kind: 'deepen', commits: 1.5 })).toThrow(/commits/);
  });
});
