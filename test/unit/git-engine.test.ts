import { describe, expect, it } from 'vitest';
import { chooseCloneEngine, explainCloneEngine } from '../../electron/helper/git/engine';
import { gitVersionAtLeast, parseGitVersion } from '../../electron/helper/git/git-binary';
import { isGitError } from '../../electron/helper/git/errors';

const git = (version: string) => ({ path: '/usr/bin/git', version });

describe('parseGitVersion', () => {
  it.each([
    ['git version 2.39.5\n', '2.39.5'],
    ['git version 2.37.1 (Apple Git-137.1)', '2.37.1'],
    ['git version 2.45.1.windows.1', '2.45.1'],
    ['git version 2.31', '2.31'],
    ['not git', undefined],
  ])('%j -> %s', (output, version) => {
    expect(parseGitVersion(output)).toBe(version);
  });
});

describe('gitVersionAtLeast', () => {
  it('compares numerically, part by part', () => {
    expect(gitVersionAtLeast(git('2.39.5'), '2.31')).toBe(true);
    expect(gitVersionAtLeast(git('2.31.0'), '2.31')).toBe(true);
    expect(gitVersionAtLeast(git('2.30.9'), '2.31')).toBe(false);
    expect(gitVersionAtLeast('2.9.0', '2.10')).toBe(false);
    expect(gitVersionAtLeast('3.0', '2.99.99')).toBe(true);
    expect(() => gitVersionAtLeast('2.x', '2.31')).toThrow(TypeError);
  });
});

describe('chooseCloneEngine', () => {
  it('uses native git whenever it can take credentials safely', () => {
    expect(chooseCloneEngine({ protocol: 'http', gitBinary: git('2.39.5') })).toBe('native');
    expect(chooseCloneEngine({ protocol: 'ssh', gitBinary: git('2.39.5') })).toBe('native');
  });

  it('falls back to isomorphic-git for http without git, or with a git older than 2.31', () => {
    expect(chooseCloneEngine({ protocol: 'http' })).toBe('isomorphic-git');
    expect(explainCloneEngine({ protocol: 'http', gitBinary: git('2.30.2') })).toEqual({ engine: 'isomorphic-git', reason: expect.stringContaining('older than 2.31') });
  });

  it('keeps ssh on native git, whatever its version, and refuses ssh without git', () => {
    expect(chooseCloneEngine({ protocol: 'ssh', gitBinary: git('2.20.1') })).toBe('native');
    let thrown: unknown;
    try {
      chooseCloneEngine({ protocol: 'ssh' });
    } catch (error) {
      thrown = error;
    }
    expect(isGitError(thrown, 'git-missing')).toBe(true);
  });
});
