/** The git-lfs commands the clone relies on, against real git and git-lfs in throwaway repositories. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gitLfsVersion, usesLfs } from '../../electron/helper/git/lfs-commands';
import { lfsEndpoint } from '../../electron/helper/lfs/endpoints';
import { makeTempDir } from '../support/temp-dir';
import { git } from '../support/git';

let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  workspace = await makeTempDir('git-lfs-commands');
});

afterAll(async () => {
  await workspace?.cleanup();
});

async function repository(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(workspace.path, name);
  await git(workspace.path, 'init', '-q', dir);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  if (Object.keys(files).length > 0) {
    await git(dir, '-c', 'filter.lfs.clean=', '-c', 'filter.lfs.process=', '-c', 'filter.lfs.required=false', 'add', '.');
    await git(dir, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'files');
  }
  return dir;
}

describe('git-lfs commands', () => {
  it('says which version of git-lfs is installed', async () => {
    expect(await gitLfsVersion()).toMatch(/^git-lfs\/\d+\.\d+/);
  });

  it('sees LFS in a .gitattributes at the top or in a folder, and not in an empty repository or one without it', async () => {
    expect(await usesLfs(await repository('top', { '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n', 'a.txt': 'a\n' }))).toBe(true);
    expect(await usesLfs(await repository('nested', { 'assets/.gitattributes': '*.psd filter=lfs -text\n', 'a.txt': 'a\n' }))).toBe(true);
    expect(await usesLfs(await repository('plain', { '.gitattributes': '*.txt text eol=lf\n', 'a.txt': 'a\n' }))).toBe(false);
    expect(await usesLfs(await repository('empty', {}))).toBe(false);
  });

  it('names the LFS endpoint of an HTTP(S) clone URL, without user info', () => {
    expect(lfsEndpoint('https://bitbucket.example.com/scm/proj/repo.git')).toBe('https://bitbucket.example.com/scm/proj/repo.git/info/lfs');
    expect(lfsEndpoint('https://dev@bitbucket.example.com/bitbucket/scm/proj/repo')).toBe('https://bitbucket.example.com/bitbucket/scm/proj/repo.git/info/lfs');
  });
});
