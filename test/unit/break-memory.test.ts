import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { breakKeptMs, createBreakMemory } from '../../electron/helper/clone/steps/break-memory';
import { makeTempDir } from '../support/temp-dir';

describe('break memory', () => {
  it('remembers a break on a network for two weeks, on that network only, across processes', async () => {
    const data = await makeTempDir('break-memory');
    try {
      let now = 1_000_000_000;
      const memory = createBreakMemory({ dataDir: data.path, now: () => now });
      expect(memory.brokeLately('home')).toBe(false);
      memory.noteBreak('home');
      expect(memory.brokeLately('home')).toBe(true);
      expect(memory.brokeLately('office')).toBe(false);
      // Another process reading the same data folder.
      expect(createBreakMemory({ dataDir: data.path, now: () => now }).brokeLately('home')).toBe(true);
      now += breakKeptMs - 1;
      expect(memory.brokeLately('home')).toBe(true);
      now += 1;
      expect(memory.brokeLately('home')).toBe(false);
    } finally {
      await data.cleanup();
    }
  });

  it('does not trust a break that seems to come from the future (a clock set back)', () => {
    let now = 5_000_000;
    const memory = createBreakMemory({ now: () => now });
    memory.noteBreak('train');
    now -= 60_000;
    expect(memory.brokeLately('train')).toBe(false);
  });

  it('forgets old breaks when it notes a new one', async () => {
    const data = await makeTempDir('break-memory-prune');
    try {
      let now = 1_000_000_000;
      const memory = createBreakMemory({ dataDir: data.path, now: () => now });
      memory.noteBreak('hotel');
      now += breakKeptMs + 1;
      memory.noteBreak('train');
      const files = await readdir(data.path);
      const text = (await Promise.all(files.map((file) => readFile(path.join(data.path, file), 'utf8').catch(() => '')))).join('');
      expect(text).toContain('train');
      expect(text).not.toContain('hotel');
    } finally {
      await data.cleanup();
    }
  });
});
