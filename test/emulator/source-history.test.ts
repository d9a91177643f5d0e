/** A history like a project's source code: delta chains in the server's pack, a checkout of 10 to 20% of it. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateRepository, type GeneratedRepo } from '../fixtures/repogen/generate';
import { sourceCodeHistory } from '../fixtures/bitbucket/repo-population';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const temp = await makeTempDir('source-history');
afterAll(() => temp.cleanup());

const targetBytes = 4_000_000;
let repo: GeneratedRepo;

beforeAll(async () => {
  repo = await generateRepository({ path: path.join(temp.path, 'repo.git'), targetBytes, seed: 4, branches: ['release'], tags: ['v1'], ...sourceCodeHistory() });
}, 60_000);

async function git(...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['--git-dir', repo.path, ...args], { maxBuffer: 1 << 28 });
  return stdout;
}

/** The bytes of a pack holding exactly `objects`, as a depth-1 clone of the newest commit receives them. */
function packedBytes(objects: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', repo.path, 'pack-objects', '--stdout', '-q'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(bytes) : reject(new Error(`pack-objects exited ${code}`))));
    child.stdin.end(objects.join('\n') + '\n');
  });
}

it('holds one pack with a bitmap, as git gc leaves a served repository, near the size asked for', async () => {
  const packDir = path.join(repo.path, 'objects', 'pack');
  const names = await readdir(packDir);
  expect(names.filter((name) => name.endsWith('.pack'))).toHaveLength(1);
  expect(names.filter((name) => name.endsWith('.bitmap'))).toHaveLength(1);
  expect(repo.packBytes).toBeGreaterThan(targetBytes * 0.8);
  expect(repo.packBytes).toBeLessThan(targetBytes * 1.2);
  expect((await git('fsck', '--no-progress')).trim()).toBe('');
});

it('stores the files as delta chains: most blobs are deltas, some chains long', async () => {
  const packIndex = (await readdir(path.join(repo.path, 'objects', 'pack'))).find((name) => name.endsWith('.idx'))!;
  const verify = await git('verify-pack', '-v', path.join(repo.path, 'objects', 'pack', packIndex));
  // Object lines: sha type size size-in-pack offset [depth base-sha] for a delta.
  const blobs = verify
    .split('\n')
    .map((line) => line.split(/\s+/))
    .filter((fields) => fields[1] === 'blob');
  const deltas = blobs.filter((fields) => fields.length === 7);
  const deepest = Math.max(...deltas.map((fields) => Number(fields[5])));
  expect(blobs.length).toBeGreaterThan(500);
  expect(deltas.length / blobs.length).toBeGreaterThan(0.5);
  expect(deepest).toBeGreaterThan(4);
});

it('puts 10 to 20% of the pack in the newest commit, text that compresses 3 to 4x', async () => {
  const tree = (await git('rev-parse', 'refs/heads/main^{tree}')).trim();
  const listing = (await git('ls-tree', '-r', '-t', '-l', 'refs/heads/main')).split('\n').filter(Boolean);
  const objects = [tree, ...listing.map((line) => line.split(/\s+/)[2]!)];
  const textBytes = listing.map((line) => line.split(/\s+/)).filter((fields) => fields[1] === 'blob').reduce((sum, fields) => sum + Number(fields[3]), 0);
  const checkoutBytes = await packedBytes(objects);
  const share = checkoutBytes / repo.packBytes;
  expect(share).toBeGreaterThan(0.1);
  expect(share).toBeLessThan(0.2);
  const compression = textBytes / checkoutBytes;
  expect(compression).toBeGreaterThan(3);
  expect(compression).toBeLessThan(4);
});

it('edits files from commit to commit: lines change, files come and go', async () => {
  const changes = (await git('log', '--format=', '--name-status', 'refs/heads/main')).split('\n').filter(Boolean);
  const kinds = new Set(changes.map((line) => line[0]));
  expect(kinds).toEqual(new Set(['A', 'M', 'D']));
  const numstat = (await git('log', '-5', '--format=', '--numstat', 'refs/heads/main')).split('\n').filter(Boolean);
  // A modified file has lines added and lines removed, not a rewrite of every line.
  const edited = numstat.map((line) => line.split('\t').map(Number)).filter(([added, removed]) => added! > 0 && removed! > 0);
  expect(edited.length).toBeGreaterThan(0);
});
