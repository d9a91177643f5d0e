import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { appendCommits, generateRepository } from '../fixtures/repogen/generate';

const run = promisify(execFile);

async function git(repo: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['--git-dir', repo, ...args]);
  return stdout.trim();
}

let tmp: string;
let counter = 0;
const fresh = () => path.join(tmp, `repo-${++counter}.git`);

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'repogen-test-'));
});
afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const shape = { targetBytes: 400_000, commits: 6, files: 5, branches: ['develop', 'feature/login'], tags: ['v1.0', 'v2.0'], seed: 7 };

describe('repository generator', () => {
  it('is deterministic: the same options give the same hashes for every ref; another seed does not', async () => {
    const a = await generateRepository({ ...shape, path: fresh() });
    const b = await generateRepository({ ...shape, path: fresh() });
    const c = await generateRepository({ ...shape, seed: 8, path: fresh() });
    expect(a.head).toMatch(/^[0-9a-f]{40}$/);
    expect(b.head).toBe(a.head);
    expect(await git(b.path, 'for-each-ref')).toBe(await git(a.path, 'for-each-ref'));
    expect(c.head).not.toBe(a.head);
  });

  it('honours targetBytes (5 MB within 20%) with one pack and no loose objects', async () => {
    const target = 5_000_000;
    const repo = await generateRepository({ path: fresh(), targetBytes: target });
    expect(repo.packBytes).toBeGreaterThan(target * 0.8);
    expect(repo.packBytes).toBeLessThan(target * 1.2);
    const packs = (await fs.readdir(path.join(repo.path, 'objects', 'pack'))).filter((n) => n.endsWith('.pack'));
    expect(packs).toHaveLength(1);
    expect((await fs.stat(path.join(repo.path, 'objects', 'pack', packs[0]))).size).toBe(repo.packBytes);
    expect(await git(repo.path, 'count-objects')).toMatch(/^0 objects/);
    // Mostly incompressible: a clone really moves about that many bytes.
    expect(Number(/size-pack: (\d+)/.exec(await git(repo.path, 'count-objects', '-v'))![1]) * 1024).toBeGreaterThan(target * 0.8);
  });

  it('makes main the HEAD, with the asked number of commits, extra branches and annotated tags', async () => {
    const repo = await generateRepository({ ...shape, path: fresh() });
    expect(await git(repo.path, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(await git(repo.path, 'rev-list', '--count', 'main')).toBe('6');
    const refs = (await git(repo.path, 'for-each-ref', '--format=%(refname) %(objecttype)')).split('\n');
    expect(refs).toEqual(
      expect.arrayContaining([
        'refs/heads/main commit',
        'refs/heads/develop commit',
        'refs/heads/feature/login commit',
        'refs/tags/v1.0 tag',
        'refs/tags/v2.0 tag',
      ]),
    );
    for (const branch of ['develop', 'feature/login']) {
      const base = await git(repo.path, 'merge-base', 'main', branch);
      expect(await git(repo.path, 'rev-list', '--count', `${base}..${branch}`)).toBe('1');
    }
    expect(await git(repo.path, 'rev-parse', 'v2.0^{commit}')).toBe(repo.head);
    await git(repo.path, 'fsck', '--no-progress');
  });

  it('optionally writes a bitmap, keeping the same history', async () => {
    const plain = await generateRepository({ ...shape, path: fresh() });
    const served = await generateRepository({ ...shape, path: fresh(), bitmap: true });
    expect(served.head).toBe(plain.head);
    const names = await fs.readdir(path.join(served.path, 'objects', 'pack'));
    expect(names.filter((n) => n.endsWith('.bitmap'))).toHaveLength(1);
  });

  it('rejects options that would make a broken stream', async () => {
    await expect(generateRepository({ path: fresh(), targetBytes: 1000, branches: ['../evil'] })).rejects.toThrow(/invalid branch/);
    await expect(generateRepository({ path: fresh(), targetBytes: 1000, commits: 0 })).rejects.toThrow(/commits/);
  });
});

describe('appendCommits', () => {
  it('advances main deterministically on top of the old head', async () => {
    const a = await generateRepository({ ...shape, path: fresh() });
    const b = await generateRepository({ ...shape, path: fresh() });
    const newA = await appendCommits({ path: a.path, count: 3 });
    const newB = await appendCommits({ path: b.path, count: 3 });
    expect(newA).not.toBe(a.head);
    expect(newB).toBe(newA);
    expect(await git(a.path, 'rev-parse', 'main')).toBe(newA);
    expect(await git(a.path, 'rev-list', '--count', `${a.head}..main`)).toBe('3');
    // A second append continues from the new head, not from the same parent again.
    const again = await appendCommits({ path: a.path, count: 1, message: 'Hotfix' });
    expect(await git(a.path, 'rev-parse', `${again}^`)).toBe(newA);
    expect(await git(a.path, 'log', '-1', '--format=%s', again)).toBe('Hotfix');
  });

  it('starts a missing branch from main and can add binary content', async () => {
    const repo = await generateRepository({ ...shape, path: fresh() });
    const tip = await appendCommits({ path: repo.path, count: 2, branch: 'release/1.x', bytesPerCommit: 100_000 });
    expect(await git(repo.path, 'rev-parse', 'main')).toBe(repo.head);
    expect(await git(repo.path, 'rev-parse', `${tip}~2`)).toBe(repo.head);
    const added = await git(repo.path, 'diff', '--numstat', repo.head, tip);
    expect(added).toMatch(/-\t-\tassets\/update-/);
  });
});
