/** The running-clones note: what a starting helper may clean up and start again, and what it must leave alone. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createJobJournal, discardInterruptedTemporary, interruptedEntries, type JournalEntry } from '../../electron/helper/clone/job-journal';
import { makeTempDir } from '../support/temp-dir';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => (dir = await makeTempDir('job-journal')));
afterEach(async () => dir.cleanup());

function entry(overrides: Partial<JournalEntry> = {}): JournalEntry {
  return {
    jobId: 'job-1',
    params: { repository: 'PROJ/app', parentDirectory: path.join(dir.path, 'src'), protocol: 'http', source: 'auto' },
    startedAt: '2026-11-21T08:00:00.000Z',
    pid: 999_999_999,
    resumes: 0,
    ...overrides,
  };
}

describe('the running-clones journal', () => {
  it('hands back the entries of helpers that are gone, not those of one still running', () => {
    const journal = createJobJournal(dir.path);
    journal.put(entry({ jobId: 'dead', pid: 4_000_001 }));
    journal.put(entry({ jobId: 'alive', pid: 4_000_002 }));
    journal.put(entry({ jobId: 'mine', pid: process.pid }));
    const found = interruptedEntries(journal, (pid) => pid === 4_000_002 || pid === process.pid).map((item) => item.jobId);
    expect(found.sort()).toEqual(['dead', 'mine']);
  });

  it('removes the temporary folder the clone planned', async () => {
    const temporary = path.join(dir.path, 'src', '.app.mirror-clone-0a1b2c3d');
    await mkdir(path.join(temporary, '.git'), { recursive: true });
    await discardInterruptedTemporary(entry({ temporaryPath: temporary }));
    expect(existsSync(temporary)).toBe(false);
  });

  it('never removes a folder that is not a mirror-clone temporary inside the clone\'s parent', async () => {
    const precious = [
      path.join(dir.path, 'src', 'app'), // the user's own folder
      path.join(dir.path, 'elsewhere', '.app.mirror-clone-0a1b2c3d'), // right name, wrong parent
      path.join(dir.path, 'src', '.app.mirror-clone-0a1b2c3d', '..', 'app'),
    ];
    for (const folder of precious) {
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'work.txt'), 'unsaved work');
      await discardInterruptedTemporary(entry({ temporaryPath: folder }));
      expect(existsSync(path.join(folder, 'work.txt')), folder).toBe(true);
    }
  });
});
