/** A clone card's title: the repository, not the folder; the primary's host only when several primaries are connected. */
import { describe, expect, it } from 'vitest';
import type { CloneJob } from '../../shared/contract';
import { jobFolder, jobTitle } from '../../renderer/src/state/job-title';

const job = (patch: Partial<CloneJob>): CloneJob => ({ jobId: 'j', repository: 'PROJ/monorepo', state: 'discovering', attempts: [], startedAt: 'now', ...patch });

describe('jobTitle', () => {
  it('names the repository the primary answered with, else the one asked for', () => {
    expect(jobTitle(job({ target: { primaryBaseUrl: 'https://bb.one.example', projectKey: 'TEAM', slug: 'monorepo' } }), 1)).toEqual({ repository: 'TEAM/monorepo' });
    expect(jobTitle(job({ repository: 'https://bb.one.example/projects/proj/repos/Monorepo/browse' }), 1)).toEqual({ repository: 'PROJ/monorepo' });
    expect(jobTitle(job({ repository: 'ssh://git@bb.one.example:7999/~alice/dotfiles.git' }), 1)).toEqual({ repository: '~alice/dotfiles' });
    expect(jobTitle(job({ repository: 'not a reference' }), 1)).toEqual({ repository: 'not a reference' });
  });

  it('adds the primary host when more than one primary is connected', () => {
    const target = { primaryBaseUrl: 'https://bb.two.example:8443/bitbucket', projectKey: 'PROJ', slug: 'monorepo' };
    expect(jobTitle(job({ target }), 2)).toEqual({ repository: 'PROJ/monorepo', host: 'bb.two.example:8443' });
    expect(jobTitle(job({ params: { repository: 'PROJ/monorepo', parentDirectory: '/src', primary: 'https://bb.one.example', protocol: 'http', source: 'auto' } }), 2)).toEqual({ repository: 'PROJ/monorepo', host: 'bb.one.example' });
    expect(jobTitle(job({ repository: 'https://bb.three.example/scm/proj/monorepo.git' }), 3)).toEqual({ repository: 'PROJ/monorepo', host: 'bb.three.example' });
    expect(jobTitle(job({}), 2)).toEqual({ repository: 'PROJ/monorepo' });
  });
});

describe('jobFolder', () => {
  it('is the clone, else its destination, else the parent folder it was given', () => {
    expect(jobFolder(job({ destination: '/src/monorepo' }))).toBe('/src/monorepo');
    expect(jobFolder(job({ params: { repository: 'PROJ/monorepo', parentDirectory: '/src', protocol: 'http', source: 'auto' } }))).toBe('/src');
    expect(jobFolder(job({}))).toBeUndefined();
  });
});
