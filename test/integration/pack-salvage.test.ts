/**
 * What a cut fetch leaves, kept with real git: a pack cut at any byte gives back exactly its whole
 * objects as a valid pack (index-pack accepts it, thin or not); the objects missing below a shallow
 * boundary are named; the whole newest part of a history is made a shallow repository that fsck
 * accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { packOfPrefix, scanPackPrefix } from '../../electron/helper/git/pack-prefix';
import { indexPackFromStream } from '../../electron/helper/git/index-pack';
import { missingObjects } from '../../electron/helper/git/missing-objects';
import { readShallowBoundary } from '../../electron/helper/git/shallow';
import { shallowAtWholeCommits } from '../../electron/helper/clone/steps/whole-commits';
import { git } from '../support/git';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
let work: Awaited<ReturnType<typeof makeTempDir>>;
let source: string;

/** A history of 12 commits over a few folders, files edited and added, so deltas and trees abound. */
async function makeSource(folder: string): Promise<void> {
  await mkdir(folder);
  await git(folder, 'init', '-q', '-b', 'main');
  for (let commit = 1; commit <= 12; commit++) {
    for (let file = 0; file < 4; file++) {
      const dir = path.join(folder, `dir${(commit + file) % 3}`);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, `file${file}.txt`), `${'shared line\n'.repeat(200)}${randomBytes(3000).toString('base64')}\n`);
    }
    await git(folder, 'add', '-A');
    await git(folder, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', `commit ${commit}`);
  }
  await git(folder, 'repack', '-adq');
}

/** A pack of `revisions` (`git pack-objects --revs`), written to `file`. */
async function packOf(repository: string, file: string, revisions: string, thin = false): Promise<void> {
  const { stdout } = await run('sh', ['-c', `printf '%s\\n' ${revisions} | git -C '${repository}' pack-objects --stdout --revs ${thin ? '--thin' : ''} > '${file}'`]);
  expect(stdout).toBe('');
}

/** Each object's offset and where it ends, in pack order (from verify-pack of the whole pack). */
async function objectEnds(file: string): Promise<{ oid: string; end: number }[]> {
  const scratch = path.join(work.path, `verify-${randomBytes(3).toString('hex')}`);
  await git(work.path, 'init', '-q', '--bare', scratch);
  await copyFile(file, path.join(scratch, 'objects', 'pack', 'whole.pack'));
  await git(scratch, 'index-pack', path.join(scratch, 'objects', 'pack', 'whole.pack'));
  const lines = (await git(scratch, 'verify-pack', '-v', path.join(scratch, 'objects', 'pack', 'whole.idx'))).split('\n');
  return lines
    .map((line) => line.split(/\s+/))
    .filter((fields) => /^[0-9a-f]{40}$/.test(fields[0]!) && ['commit', 'tree', 'blob', 'tag'].includes(fields[1]!))
    .map((fields) => ({ oid: fields[0]!, end: Number(fields[4]) + Number(fields[3]) }))
    .sort((a, b) => a.end - b.end);
}

beforeAll(async () => {
  work = await makeTempDir('pack-salvage');
  source = path.join(work.path, 'source');
  await makeSource(source);
});

afterAll(() => work?.cleanup());

describe('a pack cut short', () => {
  it('gives back exactly the objects that arrived whole, as a pack index-pack accepts', async () => {
    const whole = path.join(work.path, 'whole.pack');
    await packOf(source, whole, 'main');
    const ends = await objectEnds(whole);
    for (const share of [0.05, 0.37, 0.81, 1]) {
      const cut = path.join(work.path, `cut-${share}.pack`);
      await copyFile(whole, cut);
      // A share of 1 is the pack without its 20-byte trailer: every object is there.
      const length = share === 1 ? ends.at(-1)!.end : Math.round(ends.at(-1)!.end * share);
      await truncate(cut, length);
      const arrived = ends.filter((object) => object.end <= length);
      const scanned: number[] = [];
      const prefix = await scanPackPrefix(cut, { onScanned: (bytes, fileBytes) => scanned.push(bytes / fileBytes) });
      expect(prefix.objects).toBe(arrived.length);
      // How far the scan is, from nothing to the whole file, never back.
      expect(scanned[0]).toBe(0);
      expect(scanned.at(-1)).toBe(1);
      expect(scanned.every((share, index) => index === 0 || share >= scanned[index - 1]!)).toBe(true);
      expect(prefix.end).toBe(arrived.at(-1)?.end ?? 12);

      const target = path.join(work.path, `kept-${share}`);
      await git(work.path, 'init', '-q', target);
      await indexPackFromStream(target, packOfPrefix(cut, prefix));
      const kept = (await git(target, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)')).split('\n').sort();
      expect(kept).toEqual(arrived.map((object) => object.oid).sort());
    }
  });

  it('a thin pack cut short is completed with the bases the repository holds', async () => {
    const base = path.join(work.path, 'thin-base');
    await git(work.path, 'clone', '-q', '--no-local', source, base);
    await git(base, 'reset', '-q', '--hard', 'HEAD~4');
    await git(base, 'reflog', 'expire', '--expire=now', '--all');
    await git(base, 'gc', '-q', '--prune=now');
    const thin = path.join(work.path, 'thin.pack');
    await packOf(source, thin, `main ^${await git(base, 'rev-parse', 'HEAD')}`, true);
    const ends = await objectEnds(thin).catch(() => undefined);
    // A thin pack cannot be indexed alone (its bases are elsewhere): cut by size instead.
    expect(ends).toBeUndefined();
    const cut = path.join(work.path, 'thin-cut.pack');
    await copyFile(thin, cut);
    const { size } = await stat(thin);
    await truncate(cut, Math.round(size * 0.6));
    const prefix = await scanPackPrefix(cut);
    expect(prefix.objects).toBeGreaterThan(0);
    expect(prefix.objects).toBeLessThan(prefix.declaredObjects);
    const before = Number((await git(base, 'count-objects', '-v')).match(/in-pack: (\d+)/)![1]);
    await indexPackFromStream(base, packOfPrefix(cut, prefix));
    const after = Number((await git(base, 'count-objects', '-v')).match(/in-pack: (\d+)/)![1]);
    // The kept objects, and any base a kept delta needed, now in a pack of their own.
    expect(after - before).toBeGreaterThanOrEqual(prefix.objects);
    expect(await git(base, 'fsck', '--no-dangling', '--connectivity-only')).toBe('');
  });

  it('a pack damaged in the middle gives back the objects before the damage, and nothing the damage made up', async () => {
    const whole = path.join(work.path, 'whole-damaged.pack');
    await packOf(source, whole, 'main');
    const ends = await objectEnds(whole);
    const bytes = await readFile(whole);
    // Zeroes over an object in the middle: its zlib stream no longer inflates.
    const victim = ends[Math.floor(ends.length / 2)]!;
    const before = ends.filter((object) => object.end < victim.end);
    bytes.fill(0, before.at(-1)!.end + 4, victim.end - 2);
    await writeFile(whole, bytes);
    const prefix = await scanPackPrefix(whole);
    expect(prefix.objects).toBe(before.length);
    const target = path.join(work.path, 'kept-damaged');
    await git(work.path, 'init', '-q', target);
    await indexPackFromStream(target, packOfPrefix(whole, prefix));
    expect((await git(target, 'cat-file', '--batch-all-objects', '--batch-check=%(objectname)')).split('\n').sort()).toEqual(before.map((object) => object.oid).sort());
  });

  it('a file that is not a pack gives back nothing', async () => {
    const junk = path.join(work.path, 'junk.pack');
    await writeFile(junk, '<html>Service unavailable</html>');
    expect((await scanPackPrefix(junk)).objects).toBe(0);
  });
});

describe('a history that arrived in part', () => {
  it('names what is missing below the shallow boundary, and keeps the commits whose trees arrived whole as shallow commits', async () => {
    const tip = await git(source, 'rev-parse', 'main');
    const partial = path.join(work.path, 'partial');
    await git(work.path, 'clone', '-q', '--depth=1', `file://${source}`, partial);
    // Every commit below the tip arrives, with the trees and blobs of the newest six only.
    const newest = (await git(source, 'rev-list', '--max-count=6', 'main')).split('\n');
    const objectsOfNewest = (await git(source, 'rev-list', '--objects', '--no-object-names', '--no-walk', ...newest)).split('\n');
    const commits = (await git(source, 'rev-list', 'main')).split('\n');
    const list = path.join(work.path, 'arrived');
    await writeFile(list, `${[...new Set([...objectsOfNewest, ...commits])].join('\n')}\n`);
    const pack = path.join(work.path, 'arrived.pack');
    await run('sh', ['-c', `git -C '${source}' pack-objects --stdout < '${list}' > '${pack}'`]);
    await indexPackFromStream(partial, packOfPrefix(pack, await scanPackPrefix(pack)));

    const missing = await missingObjects(partial, [tip]);
    expect(missing.commitsComplete).toBe(true);
    const everything = (await git(source, 'rev-list', '--objects', '--no-object-names', 'main')).split('\n');
    const arrived = new Set([...objectsOfNewest, ...commits]);
    const printed = missing.commitsComplete ? missing.missing : [];
    // What is named is missing indeed; below a missing tree nothing can be named yet.
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.every((oid) => everything.includes(oid) && !arrived.has(oid))).toBe(true);
    const trees = await missingObjects(partial, [tip], { treesOnly: true });
    expect(trees.commitsComplete && trees.missing.length > 0 && trees.missing.every((oid) => printed.includes(oid))).toBe(true);
    const types = await run('sh', ['-c', `printf '%s\\n' ${trees.commitsComplete ? trees.missing.join(' ') : ''} | git -C '${source}' cat-file --batch-check='%(objecttype)'`]);
    expect(new Set(types.stdout.trim().split('\n'))).toEqual(new Set(['tree']));

    const whole = await shallowAtWholeCommits(partial, [tip], new Set(printed), {});
    // The six newest commits hold all they reach; the older ones' trees did not arrive.
    expect([...whole].sort()).toEqual([...newest].sort());
    expect(await readShallowBoundary(partial)).toEqual([...newest].sort());
    expect(await git(partial, 'fsck', '--no-dangling', '--connectivity-only')).toBe('');
  });
});
