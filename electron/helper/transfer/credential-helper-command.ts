/**
 * The command git runs as the credential helper of clones we make: this product's own CLI with
 * `credential`. Git runs a `!`-prefixed helper through a shell, so every part is quoted.
 *   - in the desktop app: Electron's binary in Node mode running the bundled cli.js;
 *   - from a source checkout: this Node with tsx running electron/cli/main.ts;
 *   - from a build: this Node running dist/electron/cli.js.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Quotes a value for a POSIX shell. */
export const shellQuote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

export function credentialHelperCommand(moduleUrl: string = import.meta.url): string {
  const here = path.dirname(fileURLToPath(moduleUrl));
  if (process.versions.electron) {
    const cli = path.join(here, 'cli.js');
    return `!ELECTRON_RUN_AS_NODE=1 ${shellQuote(process.execPath)} ${shellQuote(cli)} credential`;
  }
  if (moduleUrl.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx');
    const cli = path.resolve(here, '..', '..', 'cli', 'main.ts');
    return `!${shellQuote(process.execPath)} --import ${shellQuote(tsx)} ${shellQuote(cli)} credential`;
  }
  return `!${shellQuote(process.execPath)} ${shellQuote(path.join(here, 'cli.js'))} credential`;
}
