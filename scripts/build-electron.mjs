// Bundles the Node-side entry points for the packaged app into dist/electron/.
// The renderer is built by Vite (renderer/vite.config.ts) into dist/renderer/.
// bin/mirror-clone.mjs imports buildCli() to rebuild the command line's bundle when its sources changed.
import { build } from 'esbuild';
import { mkdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ESM bundles of CommonJS dependencies (ws, isomorphic-git's deps) still call require() for
// Node built-ins; give them one.
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const common = {
  absWorkingDir: repoRoot,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // keytar is a native addon; ssh2 looks for optional native addons of its own (it works without
  // them), which a bundle cannot hold; electron is provided by the runtime. Both are resolved at
  // run time from the checkout's node_modules, beside dist/.
  external: ['electron', 'keytar', 'ssh2'],
};

/**
 * What the `mirror-clone` command runs: cli.js, a small loader (scripts/cli-loader.mjs) that runs
 * the CommonJS bundle cli.cjs through V8's code cache; and the list of files it was built from.
 */
export const cliBundle = path.join(repoRoot, 'dist/electron/cli.js');
const cliCode = path.join(repoRoot, 'dist/electron/cli.cjs');
export const cliInputsFile = path.join(repoRoot, 'dist/electron/cli.inputs.json');

// In the CommonJS bundle, import.meta is made from the bundle's own file name.
const importMetaShim =
  "const __cliImportMeta = { url: require('node:url').pathToFileURL(__filename).href, resolve: (specifier) => require('node:url').pathToFileURL(require.resolve(specifier)).href };";

/**
 * Builds dist/electron/cli.js and records its inputs (every source and dependency file esbuild
 * read, package.json included) so the launcher can tell when the bundle is stale. The files are
 * written under temporary names and renamed into place, so a command starting meanwhile never
 * runs half a bundle.
 */
export async function buildCli() {
  const startedAt = new Date();
  const result = await build({
    ...common,
    entryPoints: ['electron/cli/main.ts'],
    outfile: cliCode,
    format: 'cjs',
    define: { 'import.meta': '__cliImportMeta' },
    banner: { js: importMetaShim },
    metafile: true,
    write: false,
  });
  // Relative to the checkout, as esbuild names them, so a moved checkout still finds them.
  const inputs = [...Object.keys(result.metafile.inputs), 'scripts/cli-loader.mjs'];
  const outputs = [
    ...result.outputFiles.map((file) => ({ path: file.path, contents: file.contents })),
    { path: cliInputsFile, contents: `${JSON.stringify(inputs)}\n` },
    { path: cliBundle, contents: await readFile(path.join(repoRoot, 'scripts/cli-loader.mjs')) },
  ];
  await mkdir(path.dirname(cliBundle), { recursive: true });
  // The loader goes last: its date is what the launcher compares the inputs against.
  outputs.sort((a, b) => Number(a.path === cliBundle) - Number(b.path === cliBundle));
  for (const output of outputs) {
    const temporary = `${output.path}.${process.pid}.tmp`;
    await writeFile(temporary, output.contents);
    // The bundle is dated when the build began: a source saved while esbuild ran is newer, so the
    // next run rebuilds.
    if (output.path === cliBundle) await utimes(temporary, startedAt, startedAt);
    await rename(temporary, output.path);
  }
}

async function buildAll() {
  await Promise.all([
    build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', banner: { js: requireShim } }),
    // A sandboxed preload must be a single CommonJS file.
    build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', platform: 'browser', external: ['electron'] }),
    build({ ...common, entryPoints: ['electron/helper/utility-process.ts'], outfile: 'dist/electron/helper.js', format: 'esm', banner: { js: requireShim } }),
    buildCli(),
  ]);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await buildAll();
