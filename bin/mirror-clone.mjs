#!/usr/bin/env node
// The `mirror-clone` command (package.json "bin"): runs the built bundle dist/electron/cli.js,
// which starts several times faster than the TypeScript sources through a loader. The bundle is
// rebuilt first when it is missing or any file it was built from (a source, package.json, a
// dependency) is newer, so a stale bundle never runs.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// npm links this file into a bin folder; Node resolves the link, so this is the checkout's.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(repoRoot, 'dist/electron/cli.js');
const inputsFile = path.join(repoRoot, 'dist/electron/cli.inputs.json');

async function modifiedAt(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Why the bundle must be rebuilt, or undefined when it is up to date. */
async function staleReason() {
  const builtAt = await modifiedAt(bundle);
  if (builtAt === undefined) return 'not built yet';
  let inputs;
  try {
    inputs = JSON.parse(await readFile(inputsFile, 'utf8'));
  } catch {
    return 'its list of sources is missing';
  }
  const times = await Promise.all(inputs.map((input) => modifiedAt(path.resolve(repoRoot, input))));
  const changed = inputs.find((input, index) => times[index] === undefined || times[index] > builtAt);
  return changed === undefined ? undefined : `${changed} changed`;
}

const reason = await staleReason();
if (reason !== undefined) {
  process.stderr.write(`mirror-clone: building dist/electron/cli.js (${reason})...\n`);
  let buildCli;
  try {
    ({ buildCli } = await import(pathToFileURL(path.join(repoRoot, 'scripts/build-electron.mjs')).href));
  } catch (error) {
    process.stderr.write(`mirror-clone: cannot build (${error.message}). Run \`npm ci\` in ${repoRoot}, then \`npm run build:electron\`.\n`);
    process.exit(1);
  }
  try {
    await buildCli();
  } catch (error) {
    process.stderr.write(`mirror-clone: the build failed: ${error.message}\nFix the error above in ${repoRoot}, or check out a version that builds.\n`);
    process.exit(1);
  }
}

const { runCli } = await import(pathToFileURL(bundle).href);
process.exitCode = await runCli(process.argv.slice(2));
