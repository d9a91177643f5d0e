import { describe, expect, it, onTestFinished } from 'vitest';
import { createSourceMemory } from '../../electron/helper/discovery/source-memory';
import type { FoundCandidate } from '../../electron/helper/discovery/find-candidates';
import { candidateRow, discoveryResultOf } from '../support/discovery-result';
import { makeTempDir } from '../support/temp-dir';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const near = candidateRow('near', {
  chosen: true,
  baseUrl: 'https://near.example/bitbucket',
  cloneUrls: { http: 'https://near.example/bitbucket/scm/proj/app.git', ssh: 'ssh://git@near.example:7999/proj/app.git' },
});
const result = discoveryResultOf([candidateRow('primary'), near], {
  repository: { id: 1, projectKey: 'PROJ', slug: 'app', name: 'app', primaryBaseUrl: 'https://primary.example', cloneUrls: {}, sizeBytes: null },
});
const found = [{ id: 'near', manual: false, kind: 'mirror', sendsToken: true }] as FoundCandidate[];

describe('the source memory', () => {
  it('recalls the chosen server for another repository of the same primary, by its clone URL layout, per protocol and network', () => {
    const memory = createSourceMemory();
    memory.remember('office', result, found);
    const other = { projectKey: 'TOOLS', slug: 'cli' };
    expect(memory.recall('office', 'https://primary.example', other, 'http')).toMatchObject({ source: { id: 'near', kind: 'mirror', url: 'https://near.example/bitbucket/scm/tools/cli.git' }, remembered: { sendsToken: true } });
    expect(memory.recall('office', 'https://primary.example/', other, 'ssh')?.source.url).toBe('ssh://git@near.example:7999/tools/cli.git');
    expect(memory.recall('hotel', 'https://primary.example', other, 'http')).toBeUndefined();
    expect(memory.recall('office', 'https://other-primary.example', other, 'http')).toBeUndefined();
  });

  it('remembers nothing for a server whose URLs do not follow the layout, a hand-added mirror, or when nothing was chosen', () => {
    const memory = createSourceMemory();
    const odd = discoveryResultOf([{ ...near, cloneUrls: { http: 'https://near.example/git/app' } }], { repository: result.repository });
    memory.remember('office', odd, found);
    memory.remember('office', result, [{ ...found[0]!, manual: true }]);
    memory.remember('office', discoveryResultOf([{ ...near, chosen: false }], { repository: result.repository }), found);
    expect(memory.recall('office', 'https://primary.example', { projectKey: 'PROJ', slug: 'app' }, 'http')).toBeUndefined();
  });

  it('keeps the choice on disk for the next process, for a day', async () => {
    const temp = await makeTempDir('source-memory');
    onTestFinished(() => temp.cleanup());
    let clock = 1_000_000;
    createSourceMemory({ dataDir: temp.path, now: () => clock }).remember('office', result, found);
    const later = createSourceMemory({ dataDir: temp.path, now: () => clock });
    expect(later.recall('office', 'https://primary.example', { projectKey: 'PROJ', slug: 'app' }, 'http')?.source.url).toBe(near.cloneUrls.http);
    clock += 25 * 60 * 60_000;
    expect(later.recall('office', 'https://primary.example', { projectKey: 'PROJ', slug: 'app' }, 'http')).toBeUndefined();
  });

  it('never hands back an unsafe URL, whatever the file on disk says', async () => {
    const temp = await makeTempDir('source-memory-hostile');
    onTestFinished(() => temp.cleanup());
    const file = path.join(temp.path, 'head-start.json');
    const records = {
      'office https://primary.example': { id: 'near', name: 'near', kind: 'mirror', httpPrefix: 'ext::sh -c touch% /tmp/pwned', sshPrefix: 'ssh://-oProxyCommand=x', sendsToken: true, storedAt: Date.now() },
    };
    await writeFile(file, JSON.stringify({ records }));
    const memory = createSourceMemory({ dataDir: temp.path });
    expect(memory.recall('office', 'https://primary.example', { projectKey: 'PROJ', slug: 'app' }, 'http')).toBeUndefined();
    expect(memory.recall('office', 'https://primary.example', { projectKey: 'PROJ', slug: 'app' }, 'ssh')).toBeUndefined();
  });
});
