/**
 * The data folder is this user's alone: a folder that already exists 0755 with 0644 files and a
 * local mirror's packs is made private at a helper's start and at a CLI run (folders 0700, files
 * without group or other bits), said once in the log; links inside are not followed out of the
 * folder; and what a later sync writes is private too, whatever the helper's umask.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createHelper } from '../../electron/helper/helper';
import { createLogger } from '../../electron/helper/logger';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { appendCommits } from '../fixtures/repogen/generate';
import { runCliProcess } from '../support/cli';
import { startInProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let previousUmask: number;

beforeAll(async () => {
  temp = await makeTempDir('data-folder-privacy');
  // The usual umask on a shared machine: what the helper inherits from a login session.
  previousUmask = process.umask(0o022);
});
afterAll(async () => {
  process.umask(previousUmask);
  await temp?.cleanup();
});

const modeOf = async (file: string) => (await lstat(file)).mode & 0o777;

/** Entries other users could read, as find(1) sees them (it never follows links). */
async function openEntries(folder: string): Promise<string[]> {
  const { stdout } = await run('find', [folder, '(', '-type', 'd', '!', '-perm', '700', ')', '-o', '(', '-type', 'f', '-perm', '/077', ')']);
  return stdout.split('\n').filter(Boolean);
}

/** Every folder and file under `folder` with its mode, links left out. */
async function modes(folder: string): Promise<Map<string, number>> {
  const result = new Map<string, number>([['.', await modeOf(folder)]]);
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    const file = path.join(entry.parentPath, entry.name);
    result.set(path.relative(folder, file), await modeOf(file));
  }
  return result;
}

/** A data folder as an older version, or a hand-made MIRROR_CLONE_HOME, leaves it: open to all. */
async function openDataFolder(name: string): Promise<{ data: string; outside: string }> {
  const data = path.join(temp.path, name, 'data');
  const outside = path.join(temp.path, name, 'outside');
  await mkdir(path.join(data, 'notes', 'deeper'), { recursive: true });
  await mkdir(path.join(outside, 'folder'), { recursive: true });
  await writeFile(path.join(data, 'settings.json'), '{}\n');
  await writeFile(path.join(data, 'notes', 'deeper', 'old.log'), 'x\n');
  await writeFile(path.join(outside, 'secret.txt'), 'not ours to change\n');
  await writeFile(path.join(outside, 'folder', 'inside.txt'), 'not ours either\n');
  // A local mirror as git writes it under umask 022: folders 0755, files 0644, packs 0444, hooks 0755.
  const source = path.join(temp.path, name, 'source');
  await run('git', ['init', '-q', source]);
  await writeFile(path.join(source, 'file.txt'), 'content\n');
  await run('git', ['-C', source, 'add', '.']);
  await run('git', ['-C', source, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one']);
  await run('git', ['clone', '-q', '--mirror', source, path.join(data, 'mirrors', 'abc.git')]);
  await run('git', ['-C', path.join(data, 'mirrors', 'abc.git'), 'gc', '-q']);
  await writeFile(path.join(data, 'mirrors', 'abc.git', 'hooks', 'post-update'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  for (const folder of [data, path.join(data, 'notes'), path.join(data, 'notes', 'deeper'), outside, path.join(outside, 'folder')]) await chmod(folder, 0o755);
  for (const file of [path.join(data, 'settings.json'), path.join(data, 'notes', 'deeper', 'old.log'), path.join(outside, 'secret.txt'), path.join(outside, 'folder', 'inside.txt')]) await chmod(file, 0o644);
  // Links that lead out of the folder: the files they point at are not the helper's to change.
  await symlink(path.join(outside, 'secret.txt'), path.join(data, 'link-to-a-file'));
  await symlink(path.join(outside, 'folder'), path.join(data, 'notes', 'link-to-a-folder'));
  return { data, outside };
}

async function expectPrivate(data: string, outside: string) {
  expect(await openEntries(data)).toEqual([]);
  const after = await modes(data);
  expect(after.get('.')).toBe(0o700);
  expect(after.get('notes')).toBe(0o700);
  expect(after.get('settings.json')).toBe(0o600);
  expect(after.get('notes/deeper/old.log')).toBe(0o600);
  expect(after.get('mirrors/abc.git/hooks/post-update')).toBe(0o700);
  const packs = [...after].filter(([file]) => /^mirrors\/abc\.git\/objects\/pack\/.*\.(pack|idx)$/.test(file));
  expect(packs.length).toBeGreaterThanOrEqual(2);
  for (const [, mode] of packs) expect(mode).toBe(0o400); // git's read-only packs stay read-only
  // Nothing outside the folder changed through the links.
  expect(await modeOf(path.join(outside, 'secret.txt'))).toBe(0o644);
  expect(await modeOf(path.join(outside, 'folder'))).toBe(0o755);
  expect(await modeOf(path.join(outside, 'folder', 'inside.txt'))).toBe(0o644);
}

describe('a data folder that was open to other users', () => {
  it('is made private when the helper starts, and the log says so once, with the count', async () => {
    const { data, outside } = await openDataFolder('helper-start');
    const open = await openEntries(data);
    expect(open.length).toBeGreaterThan(10);

    const lines: string[] = [];
    const helper = await createHelper({ dataDir: data, logger: createLogger((line) => lines.push(line)) });
    await helper.stop();
    await expectPrivate(data, outside);
    const said = lines.map((line) => JSON.parse(line) as { message: string; fixed?: number; folder?: string }).filter((entry) => entry.message.includes('private'));
    expect(said).toEqual([expect.objectContaining({ level: 'warn', folder: data, fixed: open.length })]);

    // Nothing left to fix: the next start says nothing.
    const again: string[] = [];
    const second = await createHelper({ dataDir: data, logger: createLogger((line) => again.push(line)) });
    await second.stop();
    expect(again.filter((line) => line.includes('private'))).toEqual([]);
  });

  it('is made private by a CLI run', async () => {
    const { data, outside } = await openDataFolder('cli-run');
    const open = await openEntries(data);
    const result = await runCliProcess(['primaries', '--json'], { env: { ...process.env, MIRROR_CLONE_HOME: data, MIRROR_CLONE_DEBUG: '1' } });
    expect(result.code).toBe(0);
    await expectPrivate(data, outside);
    const said = result.stderr.split('\n').filter((line) => line.includes('made the data folder private'));
    expect(said).toHaveLength(1);
    expect(JSON.parse(said[0]!)).toMatchObject({ fixed: open.length, folder: data });
  });
});

describe('what the helper writes later', () => {
  let topology: Topology;

  beforeAll(async () => {
    topology = await startTopology({ mirrors: [{ name: 'near' }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo', sizeBytes: 200_000, seed: 3 }] }] });
  });
  afterAll(() => topology?.stop());

  it('a local mirror and its later syncs write private files, under a 022 umask, which the helper keeps', async () => {
    const helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
    try {
      const mirror = await helper.client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
      expect(await openEntries(helper.dataDir)).toEqual([]);
      const before = new Set((await modes(mirror.path)).keys());

      await appendCommits({ path: topology.repo('PROJ', 'repo').diskPath, count: 2, message: 'after the local mirror was made' });
      const [synced] = await helper.client.call('cache.sync', {});
      expect(synced).toMatchObject({ state: 'ready' });
      const written = [...(await modes(mirror.path)).keys()].filter((file) => !before.has(file));
      expect(written.some((file) => file.startsWith('objects/'))).toBe(true);
      expect(written).toContain('FETCH_HEAD');
      expect(await openEntries(helper.dataDir)).toEqual([]);
      // Files the helper writes elsewhere (the user's clones) keep the user's umask.
      expect(process.umask()).toBe(0o022);
    } finally {
      await helper.stop();
    }
  });
});
