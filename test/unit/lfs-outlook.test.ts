/** Which .gitattributes lines send files through Git LFS, and the words said about it before a clone. */
import { describe, expect, it } from 'vitest';
import { lfsPatternsOf } from '../../electron/helper/lfs/attributes-check';
import { describeLargeFiles } from '../../shared/large-files-outlook';
import { checkLargeFiles } from '../../electron/helper/lfs/attributes-check';
import type { BitbucketClient } from '../../electron/helper/bitbucket/rest-client';
import type { LargeFilesOutlook } from '../../shared/contract';

/** A primary that takes the request and never answers it (until the request is aborted). */
const silentPrimary = { baseUrl: 'https://primary.example', request: (_method: string, _path: string, options: { signal?: AbortSignal } = {}) => new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new Error('aborted')))) } as unknown as BitbucketClient;

describe('checkLargeFiles', () => {
  it('a primary that does not answer in time: unknown, without holding up discovery', async () => {
    const started = performance.now();
    const outlook = await checkLargeFiles({ client: silentPrimary, projectKey: 'PROJ', slug: 'repo', signal: new AbortController().signal, timeoutMs: 50, gitLfsInstalled: async () => true });
    expect(outlook).toEqual({ usesLfs: 'unknown', patterns: [], morePatterns: 0, gitLfsInstalled: null });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a cancelled discovery is cancelled, not unknown', async () => {
    const controller = new AbortController();
    const asked = checkLargeFiles({ client: silentPrimary, projectKey: 'PROJ', slug: 'repo', signal: controller.signal, timeoutMs: 10_000 });
    controller.abort();
    await expect(asked).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('lfsPatternsOf', () => {
  it('takes the patterns with filter=lfs, not those that unset it, name another filter, comment it out or define a macro', () => {
    const text = [
      '# filter=lfs in a comment',
      '*.psd filter=lfs diff=lfs merge=lfs -text',
      '   assets/**   filter=lfs   -text',
      '*.txt -filter',
      '*.c filter=clang',
      '[attr]big filter=lfs diff=lfs merge=lfs -text',
      'docs/*.pdf !filter',
      '*.zip diff=lfs',
      '',
    ].join('\n');
    expect(lfsPatternsOf(text)).toEqual(['*.psd', 'assets/**']);
  });
});

describe('describeLargeFiles', () => {
  const yes: LargeFilesOutlook = { usesLfs: 'yes', patterns: ['*.psd', 'media/**'], morePatterns: 2, gitLfsInstalled: true };

  it('names the patterns and where the files are asked for: a mirror first, then the next servers', () => {
    expect(describeLargeFiles(yes, { name: 'Sydney', kind: 'mirror' }).notice).toBe(
      'Uses Git LFS (*.psd, media/** and 2 more): they are asked of Sydney first (a mirror fetches what it lacks from the primary); any it cannot serve come from the next server, then the primary.',
    );
    expect(describeLargeFiles(yes, { name: 'Primary', kind: 'primary' }).notice).toBe('Uses Git LFS (*.psd, media/** and 2 more): they come from the primary.');
    expect(describeLargeFiles(yes, undefined).warning).toBeUndefined();
  });

  it('without git-lfs: what the clone will hold and how to install it', () => {
    const { warning } = describeLargeFiles({ ...yes, gitLfsInstalled: false }, undefined);
    expect(warning).toMatch(/^git-lfs is not installed on this computer: the clone will hold small pointer files/);
    expect(warning).toContain('https://git-lfs.com');
    expect(warning).toContain('git lfs pull');
  });

  it('says nothing for a repository without LFS, and that it is not known when the primary could not say', () => {
    expect(describeLargeFiles({ usesLfs: 'no', patterns: [], morePatterns: 0, gitLfsInstalled: null }, undefined)).toEqual({});
    expect(describeLargeFiles({ usesLfs: 'unknown', patterns: [], morePatterns: 0, gitLfsInstalled: null }, undefined).notice).toMatch(/not known/);
  });
});
