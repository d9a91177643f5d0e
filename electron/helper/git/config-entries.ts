/**
 * Several entries written to a repository's own config in one go, for a clone we have just made
 * (in its temporary folder, before anyone else can see it): its push URL, where it came from, its
 * credential helper and CA bundle. One `git config` process per entry costs a few milliseconds
 * each, a dozen of them on every clone; this writes the same lines git would, once.
 *
 * It follows git's own way of changing the file: the new content goes to `config.lock`, created
 * exclusively (a git writing the config at the same moment makes one of the two fail, never both
 * half-succeed), then renamed over `config`. Entries are appended as sections of their own, which
 * for a key git reads as one more value, exactly like `git config --add`.
 *
 * Values are always quoted, with backslash, double quote, newline and tab escaped, so a value may
 * hold anything but NUL. Keys pass the same check as `git config` arguments.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { invalid, requireAbsolutePath, requireConfigKey } from './arguments';

export type ConfigEntry = readonly [key: string, value: string];

function quotedValue(value: string): string {
  if (typeof value !== 'string' || value.includes('\0')) throw invalid('config value must be a string without NUL');
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n').replaceAll('\t', '\\t')}"`;
}

/** `a.b.c` → section a, subsection b, name c; `a.c` → no subsection. The subsection may hold dots. */
function headerAndName(key: string): { header: string; name: string } {
  const checked = requireConfigKey(key);
  const first = checked.indexOf('.');
  const last = checked.lastIndexOf('.');
  const section = checked.slice(0, first);
  const name = checked.slice(last + 1);
  if (first === last) return { header: `[${section}]`, name };
  const subsection = checked.slice(first + 1, last);
  if (/[\n\0]/.test(subsection)) throw invalid(`${JSON.stringify(key)} is not a git config key`);
  return { header: `[${section} "${subsection.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"]`, name };
}

/** The config text for the entries, in order; consecutive entries of one section share its header. */
export function renderConfigEntries(entries: readonly ConfigEntry[]): string {
  let text = '';
  let current: string | undefined;
  for (const [key, value] of entries) {
    const { header, name } = headerAndName(key);
    if (header !== current) text += `${header}\n`;
    current = header;
    text += `\t${name} = ${quotedValue(value)}\n`;
  }
  return text;
}

/** Adds the entries to `<repository>/.git/config` (a non-bare repository), as `git config --add` would. */
export async function addConfigEntries(repository: string, entries: readonly ConfigEntry[], signal?: AbortSignal): Promise<void> {
  const configFile = path.join(requireAbsolutePath('repository', repository), '.git', 'config');
  const block = renderConfigEntries(entries);
  signal?.throwIfAborted();
  const lockFile = `${configFile}.lock`;
  const lock = await open(lockFile, 'wx', 0o644).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? invalid(`${lockFile} exists: another git process is changing this repository's config`) : error;
  });
  try {
    const existing = await readFile(configFile, 'utf8');
    await lock.writeFile(`${existing}${existing === '' || existing.endsWith('\n') ? '' : '\n'}${block}`);
    await lock.close();
    await rename(lockFile, configFile);
  } catch (error) {
    await lock.close().catch(() => {});
    await rm(lockFile, { force: true });
    throw error;
  }
}
