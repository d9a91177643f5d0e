/**
 * A helper whose state files cannot be read (cut short, hand-edited) still starts: each such
 * file is set aside, whole, under a name that says so, and that store starts empty. Before, a
 * single truncated file stopped the helper, and with it every feature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';

const truncated = '{"entries": [ {"baseUrl": "https://bitbucket.exa';
const stores = ['primaries', 'clones', 'local-mirrors', 'running-clones', 'settings', 'ssh-key-checks'];
let helper: InProcessHelper;

beforeAll(async () => {
  helper = await startInProcessHelper({ resumeInterruptedClones: true }, async (dataDir) => {
    for (const name of stores) await writeFile(path.join(dataDir, `${name}.json`), name === 'clones' ? '{"entries": 5}' : truncated);
  });
});

afterAll(async () => helper?.stop());

describe('state files that cannot be read', () => {
  it('do not stop the helper: each store starts empty', async () => {
    expect((await helper.client.call('helper.info', {})).state).toBe('ready');
    expect(await helper.client.call('primaries.list', {})).toEqual([]);
    expect(await helper.client.call('clones.list', {})).toEqual([]);
    expect(await helper.client.call('cache.list', {})).toEqual([]);
    expect(await helper.client.call('clone.jobs', {})).toEqual([]);
    expect((await helper.client.call('settings.get', {})).probeSamples).toBe(5);
  });

  it('are kept, whole, under a name that says why, and the store works again', async () => {
    const files = await readdir(helper.dataDir);
    for (const name of stores.filter((store) => store !== 'clones')) {
      const aside = files.filter((file) => file.startsWith(`${name}.json.unreadable-`));
      expect(aside, name).toHaveLength(1);
      expect(await readFile(path.join(helper.dataDir, aside[0]!), 'utf8')).toBe(truncated);
    }
    // Valid JSON of the wrong shape is read as empty, not set aside.
    expect(files.some((file) => file.startsWith('clones.json.unreadable-'))).toBe(false);
    const saved = await helper.client.call('settings.update', { probeSamples: 7 });
    expect(saved.probeSamples).toBe(7);
    expect(JSON.parse(await readFile(path.join(helper.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ probeSamples: 7 });
  });
});
