/**
 * `mirror-clone clone` run again to the same folder after a clone stopped part-way: it continues;
 * with --discard-partial it starts from nothing; and it refuses, saying why, a folder that holds
 * something else. The command runs in this process against a helper with small steps.
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
  const stdout = sink();
  const stderr = sink();
  const announced: string[] = [];
  const context = { client: async () => world.helper.client, json: true, stdout: stdout.stream, stderr: stderr.stream, signal: new AbortController().signal, announce: (line: string) => announced.push(line) };
  try {
    const code = await cloneCommand.run([repository, target, '--primary', world.topology.primary.baseUrl, '--mirror', 'near', ...flags], context);
    return { code, output: JSON.parse(stdout.text()) as { path: string }, announced };
  } catch (error) {
    return { error: error as Error & { hint?: string; code?: string }, announced };
  }
}

const proxyBytes = () => world.topology.primary.proxy.bytesDownstream + world.topology.mirrors.near!.proxy.bytesDownstream;

/** Leaves a clone of `slug` stopped part-way beside `target`: every server cuts after a third of it. */
async function stopPartWay(slug: string, target: string) {
  for (const name of ['primary', 'near']) world.topology.setFault(name, { kind: 'cut-after-bytes', bytes: Math.round(packBytes / 3), counted: 'since-set' }, 'http');
  const failed = await cliClone(`PROJ/${slug}`, target);
  for (const name of ['primary', 'near']) world.topology.setFault(name, { kind: 'none' });
  expect(failed.error?.message).toContain('could not be cloned');
  const left = await readdir(path.dirname(target));
  expect(left.filter((name) => name.startsWith(`.${path.basename(target)}.mirror-clone-`))).toHaveLength(1);
}

describe('mirror-clone clone to the same folder again', () => {
  it('continues a clone that stopped part-way', async () => {
    const target = path.join(world.workspace, 'again', 'big');
    await mkdir(path.dirname(target));
    await stopPartWay('big', target);
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
    await stopPartWay('big', target);
    const before = proxyBytes();
    const fresh = await cliClone('PROJ/big', target, '--discard-partial');
    expect(fresh.code).toBe(0);
    expect(fresh.announced.some((line) => line.startsWith('Discarded the part-way clone'))).toBe(true);
    expect(proxyBytes() - before).toBeGreaterThan(packBytes * 0.95);
    expect(await readdir(path.dirname(target))).toEqual(['big']);
  }, 60_000);

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
    await stopPartWay('other', target);
    const refused = await cliClone('PROJ/big', target);
    expect(refused.error?.message).toContain('a clone of PROJ/other stopped part-way');
    expect(refused.error?.hint).toContain('--discard-partial');
  }, 60_000);
});
