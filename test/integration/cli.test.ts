import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
let home: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  home = await makeTempDir('cli');
});
afterAll(() => home.cleanup());

/** Runs the CLI exactly as the README says: `npm run -s mirror-clone -- <args>`. */
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'mirror-clone', '--', ...args], {
      cwd: repoRoot,
      env: { ...process.env, MIRROR_CLONE_HOME: home.path },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('mirror-clone (CLI)', () => {
  it('prints its version', async () => {
    const result = await cli('--version');
    expect(result).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
  });

  it('lists its commands in --help', async () => {
    const result = await cli('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: mirror-clone <command>');
    expect(result.stdout).toMatch(/^\s+info\s/m);
  });

  it('reports the helper through the in-process contract, as JSON with --json', async () => {
    const result = await cli('info', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ version: packageJson.version, dataDir: home.path, transport: 'in-process' });
  });

  it('fails an unknown command on stderr with a usage exit code', async () => {
    const result = await cli('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Unknown command "frobnicate"');
  });

  it('calls the copies on this machine local mirrors, as the app does, and still runs them as cache', async () => {
    const help = await cli('--help');
    expect(help.stdout).toMatch(/^\s+local-mirrors\s+Local mirrors on this machine.*\(also: cache\)$/m);
    expect(help.stdout).not.toMatch(/^\s+cache\s/m);

    const listed = await cli('local-mirrors', 'list');
    expect(listed).toMatchObject({ code: 0, stdout: 'No local mirrors. Add one with: mirror-clone local-mirrors add <repository>\n' });
    // The old name runs the same command, so scripts written against it keep working.
    expect(await cli('cache', 'list')).toEqual(listed);
    expect(JSON.parse((await cli('cache', 'list', '--json')).stdout)).toEqual([]);

    const usage = await cli('cache', '--help');
    expect(usage.code).toBe(0);
    expect(usage.stdout).toContain('mirror-clone local-mirrors add <repository>');

    const wrong = await cli('local-mirrors', 'prune');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Use local-mirrors add, list, sync, remove or serve.');
  });

  it('reports errors as JSON on stderr with --json', async () => {
    const result = await cli('info', '--bogus', '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'USAGE' } });
  });
});

describe('exit codes', () => {
  it('--help and the README list the same exit codes', async () => {
    const help = (await cli('--help')).stdout;
    const section = help.slice(help.indexOf('Exit codes:'));
    const fromHelp = [...section.matchAll(/^ {2}(\d+)\s{2,}/gm)].map((match) => Number(match[1]));
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| exit code | meaning |'));
    const fromReadme = [...table.matchAll(/^\| (\d+) \|/gm)].map((match) => Number(match[1]));
    expect(fromHelp).toEqual([0, 1, 2, 130]);
    expect(fromReadme).toEqual(fromHelp);
    // And the codes the CLI really returns for the two common cases.
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('clone', 'not a reference')).code).toBe(2);
  });
});
