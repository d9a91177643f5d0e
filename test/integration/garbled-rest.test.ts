/**
 * Garbled REST answers (an HTML login page with 200, JSON cut short, a connection closed
 * mid-body, JSON of the wrong shape) from the primary and from a mirror's own REST resource.
 * Each ends in a message that says what to do, or in a clone from the sources still usable:
 * never raw parser text, never a hang.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCloneWorld, type CloneWorld } from '../support/clone-world';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { RestFault } from '../fixtures/bitbucket/topology';
import { runCliProcess } from '../support/cli';
import { createBitbucketClient } from '../../electron/helper/bitbucket/rest-client';
import { fetchRepositorySize } from '../../electron/helper/bitbucket/repository-size';

let world: CloneWorld;

beforeAll(async () => {
  world = await startCloneWorld({
    primary: { delayMs: 10, ssh: false },
    mirrors: [
      { name: 'near', delayMs: 1 },
      { name: 'mid', delayMs: 4 },
    ],
    projects: [{ key: 'PROJ', repos: [{ slug: 'repo', mirroredOn: ['near', 'mid'] }] }],
  }, { name: 'garbled-rest' });
});

afterAll(() => world?.stop());

afterEach(() => world.topology.clearRestFaults());

const repositoryPath = /^\/rest\/api\/[^/]+\/projects\/PROJ\/repos\/repo$/;
const mirrorsPath = /^\/rest\/mirroring\/[^/]+\/repos\/\d+\/mirrors$/;
const preferredPath = /\/account\/settings\/preferred-mirror$/;
const mirroredRepositoryPath = /^\/rest\/mirroring\//;

const garbled: Array<[string, RestFault]> = [
  ['an HTML login page', { kind: 'html-page' }],
  ['JSON cut short', { kind: 'truncated-body' }],
  ['a connection closed mid-body', { kind: 'close-mid-body' }],
  ['JSON of the wrong shape', { kind: 'json', body: { values: 'none', isLastPage: 'yes', id: 'x' } }],
];

const discover = () => world.helper.client.call('discovery.run', { repository: `${world.topology.primary.baseUrl}/projects/PROJ/repos/repo/browse`, samples: 2, refresh: true });
/** What a person would be shown: no parser or property-access text, and a hint to act on. */
const rawText = /Unexpected token|Unexpected end of JSON|Cannot read propert|undefined|is not a function|SyntaxError|TypeError|ZodError|\[object /;

const cliEnv = () => ({ ...process.env, HOME: world.workspace, MIRROR_CLONE_HOME: path.join(world.workspace, 'data'), MIRROR_CLONE_TOKEN: world.topology.credentials.token });
const cli = (...args: string[]) => runCliProcess(args, { env: cliEnv(), timeoutMs: 60_000 });

describe('the primary garbles the repository answer', () => {
  const failureOf = async () =>
    (await discover().then(
      () => undefined,
      (failure: unknown) => failure,
    )) as { code: string; message: string; hint?: string } | undefined;

  it.each(garbled)('%s: a clear message with a hint, the same from discovery.run and `mirror-clone discover`', async (_label, fault) => {
    world.topology.setRestFault('primary', repositoryPath, fault);
    const error = await failureOf();
    expect(error).toBeDefined();
    expect(['NOT_BITBUCKET', 'NETWORK']).toContain(error!.code);
    expect(error!.message).toContain(new URL(world.topology.primary.baseUrl).host);
    expect(error!.message).not.toMatch(rawText);
    expect(error!.hint).toBeTruthy();

    const json = await cli('discover', `${world.topology.primary.baseUrl}/projects/PROJ/repos/repo`, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr.trim().split('\n').at(-1)!)).toEqual({ error: { code: error!.code, message: error!.message, hint: error!.hint } });

    const human = await cli('discover', `${world.topology.primary.baseUrl}/projects/PROJ/repos/repo`);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain(`mirror-clone: ${error!.message}\n  ${error!.hint}\n`);
    expect(human.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('`mirror-clone clone` stops with the message and leaves no folder behind', async () => {
    world.topology.setRestFault('primary', repositoryPath, { kind: 'truncated-body' });
    const parent = path.join(world.workspace, 'clone-refused');
    await mkdir(parent, { recursive: true });
    const result = await cli('clone', `${world.topology.primary.baseUrl}/projects/PROJ/repos/repo`, path.join(parent, 'repo'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not JSON|cut short|unexpected shape/);
    expect(result.stderr).not.toMatch(rawText);
    expect(await readdir(parent)).toEqual([]);
  });
});

describe('the primary garbles the mirrors list', () => {
  it.each(garbled)('%s: discovery goes on with the primary alone', async (_label, fault) => {
    world.topology.setRestFault('primary', mirrorsPath, fault);
    const result = await discover();
    expect(result.mirroring).toBe('not-available');
    expect(result.chosen).toBe('primary');
    expect(result.candidates.map((candidate) => candidate.name)).toEqual(['Primary']);
  });

  it('`mirror-clone clone` clones from the primary', async () => {
    world.topology.setRestFault('primary', mirrorsPath, { kind: 'html-page' });
    const target = path.join(world.workspace, 'from-primary', 'repo');
    await mkdir(path.dirname(target), { recursive: true });
    const result = await cli('clone', `${world.topology.primary.baseUrl}/projects/PROJ/repos/repo`, target, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ path: target, source: { kind: 'primary' } });
  });
});

describe('optional answers garbled', () => {
  it.each(garbled)('the repository size, %s: reads as unknown, not as a failure', async (_label, fault) => {
    const { user, password } = world.topology.credentials;
    const client = createBitbucketClient({ baseUrl: world.topology.primary.baseUrl, credentials: { kind: 'password', username: user, password } });
    const query = { client, credentials: { kind: 'password' as const, username: user, password }, projectKey: 'PROJ', slug: 'repo' };
    expect(await fetchRepositorySize(query)).toBeGreaterThan(0);
    world.topology.setRestFault('primary', /\/sizes$/, fault);
    expect(await fetchRepositorySize(query)).toBeUndefined();
  });

  it.each(garbled)('the preferred mirror, %s: discovery is not stopped', async (_label, fault) => {
    world.topology.setRestFault('primary', preferredPath, fault);
    const result = await discover();
    // Chosen as with no preference set: by measurement, one of the mirrors (which one is the
    // round trips' business, and on a busy machine 1 ms and 4 ms can trade places).
    expect([world.topology.mirrors.near!.id, world.topology.mirrors.mid!.id]).toContain(result.chosen);
    expect(result.decidedBy).not.toBe('preference');
  });
});

describe("a mirror garbles its own REST answer", () => {
  it.each(garbled)('%s: that mirror is passed over with a reason, the nearest other one chosen', async (_label, fault) => {
    world.topology.setRestFault('near', mirroredRepositoryPath, fault);
    const result = await discover();
    const near = result.candidates.find((candidate) => candidate.name === 'near')!;
    expect(near.chosen).toBe(false);
    expect(near.status).toBe(fault.kind === 'close-mid-body' ? 'unreachable' : 'mirror-error');
    expect(near.reason).toMatch(/^Mirror "near"/);
    expect(near.reason).not.toMatch(rawText);
    expect(result.chosen).toBe(world.topology.mirrors.mid!.id);
  });

  it('`mirror-clone clone` clones from another mirror', async () => {
    world.topology.setRestFault('near', mirroredRepositoryPath, { kind: 'close-mid-body' });
    const target = path.join(world.workspace, 'from-mid', 'repo');
    await mkdir(path.dirname(target), { recursive: true });
    const result = await cli('clone', `${world.topology.primary.baseUrl}/projects/PROJ/repos/repo`, target, '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ path: target, source: { name: 'mid', kind: 'mirror' } });
  });
});
