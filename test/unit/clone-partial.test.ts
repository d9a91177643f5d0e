/** `mirror-clone clone --discard-partial`: which folder it looks beside, and what it removes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { destinationsOf, discardPartialClones } from '../../electron/cli/commands/clone-partial';
import { writeResumeMarker } from '../../electron/helper/clone/steps/resume-marker';
import { makeTempDir } from '../support/temp-dir';

describe('the destination --discard-partial looks beside', () => {
  const parent = path.resolve('/work/src');

  it("is the folder the helper names after the repository's slug, whatever form the reference takes", () => {
    for (const reference of [
      'PROJ/App',
      'https://bitbucket.example.com/scm/proj/app.git',
      'https://bitbucket.example.com/projects/PROJ/repos/app/browse',
      'https://bitbucket.example.com/projects/PROJ/repos/app/browse/src/main.ts?at=refs%2Fheads%2Fmain',
      'ssh://git@bitbucket.example.com:7999/proj/app.git',
    ]) {
      expect(destinationsOf(reference, parent, undefined), reference).toEqual([path.join(parent, 'app')]);
    }
  });

  it('is the folder named when there is one, and nothing for a reference that names no repository', () => {
    expect(destinationsOf('PROJ/app', parent, 'work.git')).toEqual([path.join(parent, 'work')]);
    expect(destinationsOf('not a reference', parent, undefined)).toEqual([]);
    expect(destinationsOf('PROJ/app', parent, '..')).toEqual([]);
  });
});

describe('discarding part-way clones', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => (dir = await makeTempDir('clone-partial')));
  afterEach(async () => dir.cleanup());

  it('removes the resumable folders of a clone to this destination only', async () => {
    const repository = { primaryBaseUrl: 'https://bitbucket.example.com', projectKey: 'PROJ', slug: 'app' };
    const destination = path.join(dir.path, 'app');
    const folder = async (name: string, markedFor?: string) => {
      const temporary = path.join(dir.path, name);
      await mkdir(path.join(temporary, '.git'), { recursive: true });
      if (markedFor) await writeResumeMarker(temporary, { repository, destination: markedFor, receivedBytes: 1, expectedBytes: 10, stepsDone: 1, complete: false });
      return temporary;
    };
    const partial = await folder('.app.mirror-clone-0a1b2c3d', destination);
    const unmarked = await folder('.app.mirror-clone-11111111');
    const forElsewhere = await folder('.app.mirror-clone-22222222', path.join(dir.path, 'elsewhere', 'app'));
    const notOurs = await folder('.app.mirror-clone-backup', destination);

    expect(await discardPartialClones([destination])).toEqual([partial]);
    expect(existsSync(partial)).toBe(false);
    for (const kept of [unmarked, forElsewhere, notOurs]) expect(existsSync(kept), kept).toBe(true);
  });
});
