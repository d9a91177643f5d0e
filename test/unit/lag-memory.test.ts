import { describe, expect, it, onTestFinished } from 'vitest';
import { createLagMemory } from '../../electron/helper/discovery/lag-memory';
import { makeTempDir } from '../support/temp-dir';

const key = { primaryBaseUrl: 'https://primary.example', repositoryId: 7, mirrorId: 'syd' };
const refs = (main: string) => new Map([['refs/heads/main', main], ['HEAD', main]]);

describe('the lag memory', () => {
  it('counts how long a mirror stays behind without moving, restarts when its refs move, and forgets once it is current', () => {
    let clock = 1_000_000;
    const memory = createLagMemory({ now: () => clock });
    expect(memory.observe(key, { behind: true, mirrorRefs: refs('a') })).toBe(0);
    clock += 4 * 60_000;
    expect(memory.observe(key, { behind: true, mirrorRefs: refs('a') })).toBe(4 * 60_000);
    // It synced one push but is behind on the next: a mirror syncing, not a broken one.
    clock += 60_000;
    expect(memory.observe(key, { behind: true, mirrorRefs: refs('b') })).toBe(0);
    clock += 60_000;
    expect(memory.observe(key, { behind: false, mirrorRefs: refs('c') })).toBeUndefined();
    clock += 60_000;
    expect(memory.observe(key, { behind: true, mirrorRefs: refs('c') })).toBe(0);
  });

  it('keeps the clock across processes in the data folder, per repository and mirror', async () => {
    const temp = await makeTempDir('lag-memory');
    onTestFinished(() => temp.cleanup());
    const dataDir = temp.path;
    let clock = 5_000_000;
    createLagMemory({ dataDir, now: () => clock }).observe(key, { behind: true, mirrorRefs: refs('a') });
    clock += 12 * 60_000;
    const later = createLagMemory({ dataDir, now: () => clock });
    expect(later.observe(key, { behind: true, mirrorRefs: refs('a') })).toBe(12 * 60_000);
    expect(later.observe({ ...key, mirrorId: 'fra' }, { behind: true, mirrorRefs: refs('a') })).toBe(0);
    expect(later.observe({ ...key, repositoryId: 8 }, { behind: true, mirrorRefs: refs('a') })).toBe(0);
  });
});
