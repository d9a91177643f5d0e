import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkDestination, commitDestination, discardTemporary, folderNameFor, planDestination } from '../../electron/helper/clone/destination';
import { historyPendingAt, writeResumeMarker } from '../../electron/helper/clone/steps/resume-marker';
import { makeTempDir } from '../support/temp-dir';

let parent: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  parent = await makeTempDir('destination');
});
afterEach(() => parent.cleanup());

describe('clone destinations', () => {
  it.each([
    ['repo', 'repo'],
    ['repo.git', 'repo'],
    ['../../etc', 'etc'],
    ['..', null],
    ['.hidden', 'hidden'],
    ['-rf', 'rf'],
    ['a/b\\c', 'a-b-c'],
    ['con:x', 'con-x'],
    ['', null],
  ])('turns %j into a folder name inside the parent: %j', (input, expected) => {
    if (expected === null) expect(() => folderNameFor(input)).toThrow(/cannot be used/);
    else expect(folderNameFor(input)).toBe(expected);
  });

  it('plans a hidden temporary sibling and never escapes the parent', async () => {
    const planned = await planDestination(parent.path, '../../outside');
    expect(path.dirname(planned.path)).toBe(parent.path);
    expect(path.dirname(planned.temporaryPath)).toBe(parent.path);
    expect(path.basename(planned.temporaryPath)).toMatch(/^\.outside\.mirror-clone-[0-9a-f]{8}$/);
  });

  it('refuses a destination that exists and is not empty', async () => {
    await mkdir(path.join(parent.path, 'repo'));
    await writeFile(path.join(parent.path, 'repo', 'precious.txt'), 'keep me');
    await expect(planDestination(parent.path, 'repo')).rejects.toMatchObject({ code: 'CONFLICT' });
    await writeFile(path.join(parent.path, 'file'), 'x');
    await expect(planDestination(parent.path, 'file')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('says when the clone there is ready to work but still waits for history, and only for this repository', async () => {
    const destination = path.join(parent.path, 'repo');
    await mkdir(path.join(destination, '.git'), { recursive: true });
    await writeFile(path.join(destination, 'README'), 'work in progress');
    const options = (same: boolean) => ({ isSameRepository: () => same, isHistoryPending: historyPendingAt });
    expect(await checkDestination(parent.path, 'repo', options(true))).toEqual({ state: 'exists', path: destination, sameRepository: true });
    await writeResumeMarker(destination, {
      repository: { primaryBaseUrl: 'https://bitbucket.example.com', projectKey: 'PROJ', slug: 'repo' },
      destination,
      receivedBytes: 10,
      expectedBytes: 100,
      stepsDone: 1,
      complete: false,
    });
    expect(await checkDestination(parent.path, 'repo', options(true))).toEqual({ state: 'exists', path: destination, sameRepository: true, historyPending: true });
    // Someone else's folder with such a note is still someone else's folder.
    expect(await checkDestination(parent.path, 'repo', options(false))).toEqual({ state: 'exists', path: destination, sameRepository: false });
  });

  it('accepts an empty folder the user made and replaces it', async () => {
    await mkdir(path.join(parent.path, 'repo'));
    const planned = await planDestination(parent.path, 'repo');
    await mkdir(planned.temporaryPath);
    await writeFile(path.join(planned.temporaryPath, 'README'), 'cloned');
    await commitDestination(planned);
    expect(await readdir(path.join(parent.path, 'repo'))).toEqual(['README']);
    expect(await readdir(parent.path)).toEqual(['repo']);
  });

  it('refuses a relative or missing parent', async () => {
    await expect(planDestination('relative/dir', 'repo')).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(planDestination(path.join(parent.path, 'missing'), 'repo')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('discards the temporary folder completely', async () => {
    const planned = await planDestination(parent.path, 'repo');
    await mkdir(path.join(planned.temporaryPath, '.git', 'objects'), { recursive: true });
    await discardTemporary(planned);
    expect(await readdir(parent.path)).toEqual([]);
  });
});
