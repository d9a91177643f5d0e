/**
 * Where a clone would go, checked before it starts (`clone.checkDestination`), on the real file
 * system through the helper's contract: a free name, an empty folder, one with files, a finished
 * clone of the same repository, a missing parent (then created with `clone.createFolder`), a
 * parent that is a file, a folder nobody may write to, and names that cannot be used.
 *
 * Tests run as root, which permission bits do not stop: the unwritable folder is made immutable
 * with `chattr +i` (root cannot create entries in it either), and undone before cleanup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { cloneAndWait } from '../support/clone-job';

const run = promisify(execFile);
let topology: Topology;
let helper: InProcessHelper;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let repository: { primaryBaseUrl: string; projectKey: string; slug: string };

beforeAll(async () => {
  topology = await startTopology({ projects: [{ key: 'PROJ', repos: [{ slug: 'app' }, { slug: 'other' }] }] });
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
  temp = await makeTempDir('destination-check');
  repository = { primaryBaseUrl: topology.primary.baseUrl, projectKey: 'PROJ', slug: 'app' };
}, 120_000);

afterAll(async () => {
  await run('chattr', ['-i', path.join(temp.path, 'locked')]).catch(() => {});
  await temp?.cleanup();
  await helper?.stop();
  await topology?.stop();
});

const check = (parentDirectory: string, name: string, about = repository) => helper.client.call('clone.checkDestination', { parentDirectory, name, repository: about });

describe('checking a clone destination before the clone', () => {
  it('is ok for a free name (the slug when no name is given), and for an empty folder it will use', async () => {
    expect(await check(temp.path, '')).toEqual({ state: 'ok', path: path.join(temp.path, 'app'), emptyFolder: false });
    await mkdir(path.join(temp.path, 'empty'));
    expect(await check(temp.path, 'empty')).toEqual({ state: 'ok', path: path.join(temp.path, 'empty'), emptyFolder: true });
    // The check writes nothing at all (a helper stopped halfway through a trial write would leave
    // a stray entry): the folder's modification time, which any entry made or removed moves, stays.
    const before = await stat(temp.path);
    expect((await check(temp.path, 'next')).state).toBe('ok');
    expect((await stat(temp.path)).mtimeMs).toBe(before.mtimeMs);
    expect((await readdir(temp.path)).sort()).toEqual(['empty']);
  });

  it('says a folder with files exists, and when it is a finished clone of this very repository', async () => {
    await mkdir(path.join(temp.path, 'notes'));
    await writeFile(path.join(temp.path, 'notes', 'todo.txt'), 'keep');
    expect(await check(temp.path, 'notes')).toEqual({ state: 'exists', path: path.join(temp.path, 'notes'), sameRepository: false });

    const job = await cloneAndWait(helper.client, { repository: topology.repo('PROJ', 'app').httpUrl, primary: topology.primary.baseUrl, parentDirectory: temp.path });
    expect(job.state).toBe('done');
    expect(await check(temp.path, '')).toEqual({ state: 'exists', path: path.join(temp.path, 'app'), sameRepository: true });
    // Another repository into the same folder: it exists, and it is not that one.
    expect(await check(temp.path, 'app', { ...repository, slug: 'other' })).toEqual({ state: 'exists', path: path.join(temp.path, 'app'), sameRepository: false });
    // A clone started anyway is refused before it begins, not after.
    const refused = await cloneAndWait(helper.client, { repository: topology.repo('PROJ', 'app').httpUrl, primary: topology.primary.baseUrl, parentDirectory: temp.path });
    expect(refused.error).toMatchObject({ code: 'CONFLICT' });
    expect(refused.attempts).toEqual([]);
  }, 120_000);

  it('offers to create a missing parent, and creates it with the folders above it', async () => {
    const parent = path.join(temp.path, 'src', 'work');
    expect(await check(parent, '')).toEqual({ state: 'parent-missing', path: path.join(parent, 'app'), parent });
    expect(await helper.client.call('clone.createFolder', { path: parent })).toEqual({ path: parent });
    expect((await stat(parent)).isDirectory()).toBe(true);
    expect((await check(parent, '')).state).toBe('ok');
  });

  it('says a parent that is a file, or lies under a file, cannot hold a clone', async () => {
    const file = path.join(temp.path, 'a-file');
    await writeFile(file, 'not a folder');
    expect(await check(file, '')).toEqual({ state: 'not-writable', path: path.join(file, 'app'), message: `${file} is a file, not a folder.` });
    expect(await check(path.join(file, 'below'), '')).toMatchObject({ state: 'not-writable', message: `${file} is a file, so no folder can be made inside it.` });
    await expect(helper.client.call('clone.createFolder', { path: path.join(file, 'below') })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('says a folder that cannot be written to is not writable (even for root)', async () => {
    const locked = path.join(temp.path, 'locked');
    await mkdir(locked);
    await run('chattr', ['+i', locked]);
    try {
      expect(await check(locked, '')).toEqual({ state: 'not-writable', path: path.join(locked, 'app'), message: `${locked} cannot be written to.` });
      expect(await check(path.join(locked, 'missing'), '')).toMatchObject({ state: 'not-writable', message: `${path.join(locked, 'missing')} does not exist, and ${locked} cannot be written to.` });
    } finally {
      await run('chattr', ['-i', locked]);
    }
  });

  it('says which names and paths cannot be used', async () => {
    expect(await check('relative/dir', '')).toMatchObject({ state: 'invalid', message: expect.stringContaining('must be a full path') });
    expect(await check('', '')).toEqual({ state: 'invalid', message: 'Choose the parent folder to clone into.' });
    expect(await check(temp.path, '..')).toEqual({ state: 'invalid', message: '".." cannot be used as a folder name.' });
    await expect(helper.client.call('clone.createFolder', { path: 'relative' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});

describe('the default clone folder', () => {
  it('is the platform convention until one is chosen, and is remembered once chosen', async () => {
    const home = process.env.HOME!;
    expect((await helper.client.call('settings.get', {})).defaultCloneFolder).toBe(path.join(home, 'src'));
    const chosen = path.join(temp.path, 'projects');
    expect((await helper.client.call('settings.update', { defaultCloneFolder: chosen })).defaultCloneFolder).toBe(chosen);
    expect((await helper.client.call('settings.get', {})).defaultCloneFolder).toBe(chosen);
    await expect(helper.client.call('settings.update', { defaultCloneFolder: 'projects' })).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: 'The default clone folder "projects" is not a full path.' });
    // Cleared: back to the convention.
    expect((await helper.client.call('settings.update', { defaultCloneFolder: null })).defaultCloneFolder).toBe(path.join(home, 'src'));
  });
});
