/**
 * `mirror-clone clone` run again to the same folder after a clone stopped part-way: it continues;
 * with --discard-partial it starts from nothing; and it refuses, saying why, a folder that holds
 * something else. A clone in steps says when its work tree is ready (with --json, an event line
 * before the final object); stopped after that, running it again finishes the clone in its folder.
 * The command runs in this process against a helper with small steps.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startCloneWorld, type CloneWorld } from '../support/clone-world';
import { realisticHistory } from '../fixtures/bitbucket/repo-population';
import { cloneCommand } from '../../electron/cli/commands/clone';
import { git } from '../support/git';

let world: CloneWorld;
const packBytes = 4_000_000;

beforeAll(async () => {
  world = await startCloneWorld(
    { primary: { delayMs: 5 }, mirrors: [{ name: 'near', delayMs: 2 }], projects: [{ key: 'PROJ', repos: [{ slug: 'big', sizeBytes: packBytes, seed: 5, ...realisticHistory() }, { slug: 'other', sizeBytes: packBytes, seed: 6, ...realisticHistory() }] }] },
    { name: 'cli-clone-resume', helper: () => ({ options: { cloneRetry: { attemptsPerSource: 1, backoff: { baseMs: 10, maxMs: 10, jitter: 0 } }, cloneSteps: { minimumBytes: 1_000_000, stepBytes: 600_000 } } }) },
  );
});

afterAll(() => world?.stop());

afterEach(() => {
  for (const name of ['primary', 'near']) world.topology.setFault(name, { kind: 'none' });
});

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** `mirror-clone clone <repository> <target> --json ...`: the exit code and what it printed, or what it threw. */
async function cliClone(repository: string, target: string, ...flags: string[]) {
  return cliCloneWith({ json: true, signal: new AbortController().signal }, repository, target, ...flags);
}

async function cliCloneWith(options: { json: boolean; signal: AbortSignal }, repository: string, target: string, ...flags: string[]) {
  const stdout = sink();
  const stderr = sink();
  const announced: string[] = [];
  const context = { client: async () => world.helper.client, json: options.json, stdout: stdout.stream, stderr: stderr.stream, signal: options.signal, announce: (line: string) => announced.push(line) };
  const lines = () => stdout.text().split('\n').filter(Boolean);
  try {
    const code = await cloneCommand.run([repository, target, '--primary', world.topology.primary.baseUrl, '--mirror', 'near', ...flags], context);
    // The final object is the last line; event lines (ready) may come before it.
    return { code, output: (options.json ? JSON.parse(lines().at(-1)!) : {}) as { path: string }, lines: lines(), announced };
  } catch (error) {
    return { error: error as Error & { hint?: string; code?: string }, lines: lines(), announced };
  }
}

const proxyBytes = () => world.topology.primary.proxy.bytesDownstream + world.topology.mirrors.near!.proxy.bytesDownstream;

/**
 * Leaves a clone of `slug` stopped part-way: every server cuts after `share` of it. Before its
 * newest commit is in, it waits beside `target`; after, it is ready to work at `target` itself.
 */
async function stopPartWay(slug: string, target: string, share: number) {
  for (const name of ['primary', 'near']) world.topology.setFault(name, { kind: 'cut-after-bytes', bytes: Math.round(packBytes * share), counted: 'since-set' }, 'http');
  const failed = await cliClone(`PROJ/${slug}`, target);
  for (const name of ['primary', 'near']) world.topology.setFault(name, { kind: 'none' });
  expect(failed.error?.message).toContain('could not be cloned');
  const left = await readdir(path.dirname(target));
  if (share < 0.1) expect(left.filter((name) => name.startsWith(`.${path.basename(target)}.mirror-clone-`))).toHaveLength(1);
  else expect(left).toEqual([path.basename(target)]);
}

const beforeTheTip = 0.05;

describe('mirror-clone clone to the same folder again', () => {
  it('continues a clone that stopped part-way', async () => {
    const target = path.join(world.workspace, 'again', 'big');
    await mkdir(path.dirname(target));
    await stopPartWay('big', target, 1 / 3);
    const before = proxyBytes();
    const rerun = await cliClone('PROJ/big', target);
    expect(rerun.error, String(rerun.error?.message)).toBeUndefined();
    expect(rerun.code).toBe(0);
    expect(proxyBytes() - before).toBeLessThan(packBytes * 0.8);
    expect(await readdir(path.dirname(target))).toEqual(['big']);
    expect(await git(target, 'rev-parse', '--is-shallow-repository')).toBe('false');
    expect(await git(target, 'fsck', '--no-dangling')).toBe('');
  }, 60_000);

  it('with --discard-partial starts from nothing', async () => {
    const target = path.join(world.workspace, 'discard', 'big');
    await mkdir(path.dirname(target));
    await stopPartWay('big', target, beforeTheTip);
    const before = proxyBytes();
    const fresh = await cliClone('PROJ/big', target, '--discard-partial');
    expect(fresh.code).toBe(0);
    expect(fresh.announced.some((line) => line.startsWith('Discarded the part-way clone'))).toBe(true);
    expect(proxyBytes() - before).toBeGreaterThan(packBytes * 0.95);
    expect(await readdir(path.dirname(target))).toEqual(['big']);
  }, 60_000);

  it('says when the work tree is ready; stopped after that, run again it finishes the clone in its folder', async () => {
    const target = path.join(world.workspace, 'ready', 'big');
    await mkdir(path.dirname(target));
    world.topology.setShape('near', { delayMs: 2, bandwidthBytesPerSec: 1_000_000 }, 'http');
    const stop = new AbortController();
    const off = world.helper.client.on('clone.state', ({ job }) => {
      if (job.ready?.path === target) stop.abort();
    });
    const stopped = await cliCloneWith({ json: true, signal: stop.signal }, 'PROJ/big', target).finally(() => {
      off();
      world.topology.setShape('near', { delayMs: 2 }, 'http');
    });
    expect(stopped.error?.message).toContain('ready to work as a shallow clone');
    expect(stopped.lines.map((line) => JSON.parse(line) as { event?: string; path?: string })).toEqual([expect.objectContaining({ event: 'ready', path: target })]);
    expect(await git(target, 'rev-parse', '--is-shallow-repository')).toBe('true');

    const before = proxyBytes();
    const rerun = await cliClone('PROJ/big', target);
    expect(rerun.error, String(rerun.error?.message)).toBeUndefined();
    // A ready line first (it is ready from the start), the result object last.
    expect(JSON.parse(rerun.lines[0]!)).toMatchObject({ event: 'ready', path: target });
    expect(rerun.lines).toHaveLength(2);
    expect(rerun.output?.path).toBe(target);
    expect(proxyBytes() - before).toBeLessThan(packBytes);
    expect(await readdir(path.dirname(target))).toEqual(['big']);
    expect(await git(target, 'rev-parse', '--is-shallow-repository')).toBe('false');
    expect(await git(target, 'fsck', '--no-dangling')).toBe('');

    const human = await cliCloneWith({ json: false, signal: new AbortController().signal }, 'PROJ/big', path.join(world.workspace, 'ready', 'again'));
    expect(human.error, String(human.error?.message)).toBeUndefined();
    expect(human.lines[0]).toMatch(/^Ready to work in .*again after \d+\.\d s/);
  }, 90_000);

  it('refuses a folder that holds other files, saying so', async () => {
    const target = path.join(world.workspace, 'taken', 'big');
    await mkdir(target, { recursive: true });
    await writeFile(path.join(target, 'notes.txt'), 'mine');
    const refused = await cliClone('PROJ/big', target);
    expect(refused.error?.message).toBe(`${target} already exists and is not empty.`);
    expect(await readdir(target)).toEqual(['notes.txt']);
  });

  it("refuses a folder where another repository's clone stopped part-way, saying which", async () => {
    const target = path.join(world.workspace, 'other', 'work');
    await mkdir(path.dirname(target));
    await stopPartWay('other', target, beforeTheTip);
    const refused = await cliClone('PROJ/big', target);
    expect(refused.error?.message).toContain('a clone of PROJ/other stopped part-way');
    expect(refused.error?.hint).toContain('--discard-partial');
  }, 60_000);
});
