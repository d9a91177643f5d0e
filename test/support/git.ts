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
