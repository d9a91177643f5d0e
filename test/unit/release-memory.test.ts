import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createReleaseMemory } from '../../electron/helper/discovery/release-memory';
import { makeTempDir } from '../support/temp-dir';

describe('the release memory', () => {
  it('recalls a primary release for a day, from the data folder, and drops what does not look like a release', async () => {
    const temp = await makeTempDir('release-memory');
    try {
      let now = 1_000_000;
      const memory = createReleaseMemory({ dataDir: temp.path, now: () => now });
      memory.remember('https://bb.example.com', '8.19.1');
      now += 23 * 60 * 60_000;
      expect(createReleaseMemory({ dataDir: temp.path, now: () => now }).recall('https://bb.example.com')).toBe('8.19.1');
      expect(memory.recall('https://other.example.com')).toBeUndefined();
      now += 2 * 60 * 60_000;
      expect(memory.recall('https://bb.example.com')).toBeUndefined();

      const file = path.join(temp.path, 'primary-releases.json');
      await writeFile(file, JSON.stringify({ records: { 'https://bb.example.com': { version: '9.0.0', learnedAt: now } } }));
      expect(createReleaseMemory({ dataDir: temp.path, now: () => now }).recall('https://bb.example.com')).toBe('9.0.0');
      for (const version of ['<script>', '9.0.0<script>', '']) {
        await writeFile(file, JSON.stringify({ records: { 'https://bb.example.com': { version, learnedAt: now } } }));
        expect(createReleaseMemory({ dataDir: temp.path, now: () => now }).recall('https://bb.example.com')).toBeUndefined();
      }
    } finally {
      await temp.cleanup();
    }
  });
});
