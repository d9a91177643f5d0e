import { describe, expect, it } from 'vitest';
import { parseRepositoryReference } from '../../shared/repository-reference';

describe('parseRepositoryReference', () => {
  it.each([
    ['PROJ/repo', { projectKey: 'PROJ', slug: 'repo' }],
    ['proj/Repo.git', { projectKey: 'PROJ', slug: 'repo' }],
    ['~Alice/notes', { projectKey: '~alice', slug: 'notes' }],
    ['https://bb.example.com/scm/proj/repo.git', { projectKey: 'PROJ', slug: 'repo', server: { kind: 'http', baseUrl: 'https://bb.example.com' } }],
    ['https://dev@bb.example.com/bitbucket/scm/proj/repo.git', { projectKey: 'PROJ', slug: 'repo', server: { kind: 'http', baseUrl: 'https://bb.example.com/bitbucket' } }],
    ['https://bb.example.com/scm/~alice/notes.git', { projectKey: '~alice', slug: 'notes', server: { kind: 'http', baseUrl: 'https://bb.example.com' } }],
    ['https://bb.example.com/bitbucket/projects/PROJ/repos/repo/browse', { projectKey: 'PROJ', slug: 'repo', server: { kind: 'http', baseUrl: 'https://bb.example.com/bitbucket' } }],
    ['https://bb.example.com/projects/PROJ/repos/repo/browse/src/main.c?at=refs%2Fheads%2Fmain', { projectKey: 'PROJ', slug: 'repo', server: { kind: 'http', baseUrl: 'https://bb.example.com' } }],
    ['https://bb.example.com/users/alice/repos/notes/browse', { projectKey: '~alice', slug: 'notes', server: { kind: 'http', baseUrl: 'https://bb.example.com' } }],
    ['https://mirror.sydney.example.com/scm/proj/repo.git', { projectKey: 'PROJ', slug: 'repo', server: { kind: 'http', baseUrl: 'https://mirror.sydney.example.com' } }],
    ['ssh://git@bb.example.com:7999/proj/repo.git', { projectKey: 'PROJ', slug: 'repo', server: { kind: 'ssh', host: 'bb.example.com', port: 7999 } }],
    ['ssh://git@bb.example.com:7999/~alice/notes.git', { projectKey: '~alice', slug: 'notes', server: { kind: 'ssh', host: 'bb.example.com', port: 7999 } }],
    ['git@bb.example.com:proj/repo.git', { projectKey: 'PROJ', slug: 'repo', server: { kind: 'ssh', host: 'bb.example.com' } }],
  ])('reads %s', (input, reference) => {
    expect(parseRepositoryReference(input)).toEqual({ ok: true, reference });
  });

  it.each(['', 'repo', 'https://bb.example.com/dashboard', 'https://bb.example.com/projects/PROJ', 'PROJ/-x', 'a/b/c', 'ssh://host/only-one.git', 'not a url at all'])(
    'refuses %j with a reason',
    (input) => {
      const parsed = parseRepositoryReference(input);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.reason.length).toBeGreaterThan(5);
    },
  );
});
