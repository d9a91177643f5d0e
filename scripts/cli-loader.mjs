// dist/electron/cli.js: runs the command line's bundle (cli.cjs beside this file) through V8's
// code cache. Parsing and compiling the 2.4 MB bundle is most of a command's start-up; with the
// cache kept from the previous run it is skipped, and every command starts about 0.1 s sooner,
// `credential` included, which git runs on every fetch and push of a clone we made.
//
// V8 checks a cache against the source's length only, so the cache starts with a SHA-256 of the
// bundle it was made from, and is used only for exactly that bundle (a rebuild that changes one
// version string keeps the length).
//
// The cache (cli.cjs.cache) is written after a run that had none, had one V8 rejected (the bundle
// was rebuilt, or Node changed), or, for a run of a second or more, compiled noticeably more of the
// bundle than the cache held (a `clone` after a `--version`), through a temporary file and a rename. Where this folder is
// read-only (an installed app), nothing is cached and the bundle is compiled each time.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, 'cli.cjs');
const cacheFile = path.join(here, 'cli.cjs.cache');

const digestLength = 32;
/** A run this long did real work (a clone, a discovery) and may have compiled more of the bundle. */
const longRunSeconds = 1;

/** The V8 data kept for exactly this bundle (by its digest), if any. */
function readCache(digest) {
  try {
    const kept = readFileSync(cacheFile);
    return kept.subarray(0, digestLength).equals(digest) ? kept.subarray(digestLength) : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(digest, data) {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([digest, data]));
    renameSync(temporary, cacheFile);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
  }
}

function loadBundle() {
  const source = readFileSync(bundle);
  const digest = createHash('sha256').update(source).digest();
  const cachedData = readCache(digest);
  const script = new vm.Script(Module.wrap(source.toString('utf8')), {
    filename: bundle,
    cachedData,
    // import() inside the bundle (of keytar) resolves as from this file.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier) => import(specifier)),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, here);
  // After the run, so the functions the command compiled on the way are in the cache too.
  process.once('exit', () => {
    const fresh = cachedData === undefined || script.cachedDataRejected;
    // Making the cache data costs a few milliseconds: a short run (`--version`, `credential`, which
    // git runs on every fetch) compiles little and is not asked whether it grew.
    if (!fresh && process.uptime() < longRunSeconds) return;
    const data = script.createCachedData();
    if (fresh || data.length > cachedData.length * 1.02) writeCache(digest, data);
  });
  return module.exports;
}

export const { runCli } = loadBundle();

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
