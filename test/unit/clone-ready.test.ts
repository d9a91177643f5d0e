/**
 * A clone ready to work before its history is complete, on disk: its note at its destination
 * marks it unfinished (only when the note names that very folder), it is never offered for
 * discarding as a part-way temporary folder is, and the locks cleared before its next step are
 * only those a fetch takes: the index and the branches belong to the user by then.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyPendingAt, resumableClones, unfinishedCloneAt, writeResumeMarker } from '../../electron/helper/clone/steps/resume-marker';
import { removeStaleLocks } from '../../electron/helper/clone/steps/stale-locks';
import { makeTempDir } from '../support/temp-dir';

const note = (destination: string) => ({
  repository: { primaryBaseUrl: 'https://bitbucket.example.com', projectKey: 'PROJ', slug: 'big' },
  destination,
  receivedBytes: 1_000,
  expectedBytes: 10_000,
  stepsDone: 1,
  complete: false,
});

describe('a clone ready to work at its destination', () => {
  it('is unfinished while its note names that folder, and is no part-way temporary folder', async () => {
    const dir = await makeTempDir('ready-note');
    try {
      const destination = path.join(dir.path, 'big');
      await mkdir(path.join(destination, '.git'), { recursive: true });
      expect(await historyPendingAt(destination)).toBe(false);
      await writeResumeMarker(destination, note(destination));
      expect(await unfinishedCloneAt(destination)).toMatchObject({ temporaryPath: destination, marker: { stepsDone: 1 } });
      expect(await historyPendingAt(destination)).toBe(true);
      // What --discard-partial removes: only the hidden temporary siblings, never the clone itself.
      expect(await resumableClones(destination)).toEqual([]);

      // A folder copied elsewhere with its note is not the clone the note is about.
      const copy = path.join(dir.path, 'copy');
      await mkdir(path.join(copy, '.git'), { recursive: true });
      await writeResumeMarker(copy, note(destination));
      expect(await historyPendingAt(copy)).toBe(false);
    } finally {
      await dir.cleanup();
    }
  });

  it('has only the locks a fetch takes cleared before its next step', async () => {
    const dir = await makeTempDir('ready-locks');
    try {
      const git = path.join(dir.path, 'repo', '.git');
      await mkdir(path.join(git, 'refs', 'remotes', 'origin'), { recursive: true });
      await mkdir(path.join(git, 'refs', 'heads'), { recursive: true });
      const files = ['shallow.lock', 'packed-refs.lock', 'refs/remotes/origin/main.lock', 'index.lock', 'HEAD.lock', 'refs/heads/main.lock', 'config.lock'];
      for (const file of files) await writeFile(path.join(git, file), '');
      expect(await removeStaleLocks(path.join(dir.path, 'repo'), { fetchOnly: true })).toBe(3);
      expect(files.filter((file) => existsSync(path.join(git, file)))).toEqual(['index.lock', 'HEAD.lock', 'refs/heads/main.lock', 'config.lock']);
    } finally {
      await dir.cleanup();
    }
  });
});
