import { describe, expect, it } from 'vitest';
import { repositoryOwnerPath } from '../../electron/helper/bitbucket/repository-owner';

describe("a repository's owner in Bitbucket's paths", () => {
  it('names a project by its key and a personal repository by its user, lower-cased', () => {
    expect(repositoryOwnerPath('CORE')).toBe('projects/CORE');
    expect(repositoryOwnerPath('~ALICE')).toBe('users/alice');
  });

  it('keeps what could change the path inside its segment', () => {
    expect(repositoryOwnerPath('A/../B')).toBe('projects/A%2F..%2FB');
    expect(repositoryOwnerPath('~bob?x=1#y')).toBe('users/bob%3Fx%3D1%23y');
  });
});
