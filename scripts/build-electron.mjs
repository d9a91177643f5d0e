// Bundles the Node-side entry points for the packaged app into dist/electron/.
// The renderer is built by Vite (renderer/vite.config.ts) into dist/renderer/.
import { build } from 'esbuild';

// ESM bundles of CommonJS dependencies (ws, isomorphic-git's deps) still call require() for
// Node built-ins; give them one.
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // keytar is a native addon; ssh2 looks for optional native addons of its own (it works without
  // them), which a bundle cannot hold; electron is provided by the runtime.
  external: ['electron', 'keytar', 'ssh2'],
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', banner: { js: requireShim } }),
  // A sandboxed preload must be a single CommonJS file.
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', platform: 'browser', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/helper/utility-process.ts'], outfile: 'dist/electron/helper.js', format: 'esm', banner: { js: requireShim } }),
  build({ ...common, entryPoints: ['electron/cli/main.ts'], outfile: 'dist/electron/cli.js', format: 'esm', banner: { js: requireShim } }),
]);
