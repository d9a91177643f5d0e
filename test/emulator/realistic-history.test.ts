/** The bench's repositories of realistic shape: the checkout is 10 to 20% of what a clone receives. */
import { afterAll, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { generateRepository } from '../fixtures/repogen/generate';
import { realisticHistory } from '../fixtures/bitbucket/repo-population';
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const temp = await makeTempDir('realistic-history');
afterAll(() => temp.cleanup());

it('puts 10 to 20% of the pack in the newest commit', async () => {
  const repo = await generateRepository({ path: path.join(temp.path, 'repo.git'), targetBytes: 4_000_000, ...realisticHistory() });
  const { stdout } = await run('git', ['--git-dir', repo.path, 'ls-tree', '-r', '-l', 'refs/heads/main']);
  const checkoutBytes = stdout
    .split('\n')
    .filter(Boolean)
    .reduce((sum, line) => sum + Number(line.split(/\s+/)[3]), 0);
  const share = checkoutBytes / repo.packBytes;
  expect(share).toBeGreaterThan(0.1);
  expect(share).toBeLessThan(0.2);
});
