/**
 * The installed `mirror-clone` command: bin/mirror-clone.mjs runs the built bundle and rebuilds it
 * first when a file it was built from changed. Each test works on a copy of the checkout (its
 * sources, with the real node_modules linked in), so rebuilding and editing never touch this one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { makeTempDir } from '../support/temp-dir';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let checkout: string;

beforeAll(async () => {
  temp = await makeTempDir('cli-bin');
  checkout = path.join(temp.path, 'checkout');
  for (const entry of ['bin', 'scripts/build-electron.mjs', 'scripts/cli-loader.mjs', 'electron', 'shared', 'package.json', 'tsconfig.json', 'tsconfig.base.json']) {
    await cp(path.join(repoRoot, entry), path.join(checkout, entry), { recursive: true });
  }
  await symlink(path.join(repoRoot, 'node_modules'), path.join(checkout, 'node_modules'));
});
afterAll(() => temp.cleanup());

async function execute(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  try {
    const env = { ...process.env, MIRROR_CLONE_HOME: path.join(temp.path, 'home'), ...options.env };
    const { stdout, stderr } = await run(file, args, { cwd: options.cwd ?? temp.path, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const launcher = () => path.join(checkout, 'bin/mirror-clone.mjs');
const bundle = () => path.join(checkout, 'dist/electron/cli.js');

/** Marks a file modified now, safely after the last build (a save in an editor, a git checkout). */
async function touch(file: string) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  const now = new Date();
  await utimes(file, now, now);
}

describe('the mirror-clone launcher', () => {
  it('builds the bundle on its first run, then runs the built one without rebuilding', async () => {
    const first = await execute('node', [launcher(), '--version']);
    expect(first).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
    expect(first.stderr).toContain('building dist/electron/cli.js (not built yet)');
    const builtAt = (await stat(bundle())).mtimeMs;

    const second = await execute('node', [launcher(), '--version']);
    expect(second).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
    expect((await stat(bundle())).mtimeMs).toBe(builtAt);
  });

  it('rebuilds when a source is newer than the bundle, and runs what the sources say now', async () => {
    await execute('node', [launcher(), '--version']);
    // The version comes from package.json, one of the bundle's inputs: a changed value proves the
    // command ran the rebuilt bundle, not the stale one.
    const manifest = path.join(checkout, 'package.json');
    await writeFile(manifest, JSON.stringify({ ...JSON.parse(await readFile(manifest, 'utf8')), version: '9.8.7' }, null, 2));
    await touch(manifest);
    const changed = await execute('node', [launcher(), '--version']);
    expect(changed).toMatchObject({ code: 0, stdout: '9.8.7\n' });
    expect(changed.stderr).toContain('(package.json changed)');

    await touch(path.join(checkout, 'electron/cli/output.ts'));
    const touched = await execute('node', [launcher(), '--help']);
    expect(touched.code).toBe(0);
    expect(touched.stdout).toContain('Usage: mirror-clone <command> [options]');
    expect(touched.stderr).toContain('(electron/cli/output.ts changed)');
  });

  it('stops with the build error when the changed sources do not build, instead of running the old bundle', async () => {
    await execute('node', [launcher(), '--version']);
    const source = path.join(checkout, 'electron/cli/command.ts');
    const original = await readFile(source, 'utf8');
    await writeFile(source, `${original}\nexport const broken = ;\n`);
    await touch(source);
    try {
      const result = await execute('node', [launcher(), '--version']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('the build failed');
      expect(result.stderr).toContain('command.ts');
    } finally {
      await writeFile(source, original);
      await touch(source);
    }
    // Fixed: the next run builds again and works.
    expect(await execute('node', [launcher(), '--version'])).toMatchObject({ code: 0 });
  });

  it("runs through the code cache it keeps, and a damaged or another bundle's cache is never run: the bundle is compiled and the cache written afresh", async () => {
    const plain = await execute('node', [launcher(), '--version']);
    const cache = path.join(checkout, 'dist/electron/cli.cjs.cache');
    const bundleDigest = createHash('sha256').update(await readFile(path.join(checkout, 'dist/electron/cli.cjs'))).digest();
    const kept = await readFile(cache);
    expect(kept.subarray(0, 32).equals(bundleDigest)).toBe(true);
    expect(kept.length).toBeGreaterThan(100_000);

    // This bundle's digest in front of garbage (V8 rejects it), then another bundle's digest in front of a real cache.
    for (const damaged of [Buffer.concat([bundleDigest, Buffer.from('not V8 data '.repeat(1000))]), Buffer.concat([Buffer.alloc(32, 7), kept.subarray(32)])]) {
      await writeFile(cache, damaged);
      expect(await execute('node', [launcher(), '--version'])).toEqual({ code: 0, stdout: plain.stdout, stderr: '' });
      const rewritten = await readFile(cache);
      expect(rewritten.subarray(0, 32).equals(bundleDigest)).toBe(true);
      expect(rewritten.equals(damaged)).toBe(false);
    }
  });

  // --offline: installing a folder links it and needs nothing from the registry.
  const installs = {
    // The README's way; npm link takes the global folder from its prefix setting.
    'npm link': (prefix: string) => execute('npm', ['link', '--offline', '--no-audit', '--no-fund'], { cwd: checkout, env: { npm_config_prefix: prefix } }),
    'npm install --global --prefix': (prefix: string) => execute('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, checkout]),
  };
  for (const [way, install] of Object.entries(installs)) {
    it(`is put on the PATH by ${way} from a checkout, and runs from there with the checkout's dependencies`, async () => {
      const prefix = path.join(temp.path, `prefix-${way.replaceAll(/\W+/g, '-')}`);
      const installing = await install(prefix);
      expect(installing.code, installing.stderr).toBe(0);

      const installed = path.join(prefix, 'bin', 'mirror-clone');
      // Run as a shell runs it: the file itself, through its shebang line.
      const version = await execute(installed, ['--version']);
      expect(version.code, version.stderr).toBe(0);
      expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);

      // A command that starts the helper's services in-process (ssh2 is loaded from the checkout).
      const info = await execute(installed, ['info', '--json']);
      expect(info.code, info.stderr).toBe(0);
      expect(JSON.parse(info.stdout)).toMatchObject({ version: version.stdout.trim(), dataDir: path.join(temp.path, 'home') });

      const unknown = await execute(installed, ['frobnicate']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    });
  }
});
