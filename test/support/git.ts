/** Plain git for tests, to look at what the product did (never through the product's own git layer). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

export async function gitConfig(repository: string, key: string): Promise<string | undefined> {
  try {
    return await git(repository, 'config', '--get', key);
  } catch {
    return undefined;
  }
}

/**
 * What a clone is, for comparing two: every ref, HEAD, its config, whether it is shallow or a
 * partial clone (promisor), fsck, and the state of its work tree.
 */
export async function describeClone(clonePath: string) {
  const config = (await git(clonePath, 'config', '--local', '--list')).split('\n').sort();
  return {
    refs: await git(clonePath, 'for-each-ref', '--format=%(refname) %(objectname)'),
    head: await git(clonePath, 'symbolic-ref', 'HEAD'),
    shallow: await git(clonePath, 'rev-parse', '--is-shallow-repository'),
    fsck: await git(clonePath, 'fsck', '--no-dangling', '--strict'),
    status: await git(clonePath, 'status', '--porcelain'),
    config,
    promisor: config.filter((line) => line.includes('promisor') || line.includes('partialclone')),
  };
}
