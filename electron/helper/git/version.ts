/**
 * Finding the git binary: an explicit path (a setting) or `git` on PATH, resolved to an absolute
 * path once so a later change of PATH cannot swap the binary under us. The answer is cached per
 * requested path; `undefined` means no usable git, and the caller falls back to isomorphic-git
 * (engine.ts).
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parseGitVersion, type GitBinary } from './git-binary';
import { runGit } from './runner';

export { gitVersionAtLeast, type GitBinary } from './git-binary';

export interface FindGitOptions {
  /** An explicit git executable; when given, PATH is not searched. */
  path?: string;
  /** Where to look for `git`; default process.env.PATH. */
  searchPath?: string;
  platform?: NodeJS.Platform;
  signal?: AbortSignal;
}

const cache = new Map<string, Promise<GitBinary | undefined>>();

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  return access(file, platform === 'win32' ? constants.F_OK : constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** The first `git` on the search path, as an absolute path. */
export async function resolveOnPath(searchPath: string, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const separator = platform === 'win32' ? ';' : ':';
  // Only git.exe on Windows: a git.cmd wrapper cannot be started without a shell.
  const names = platform === 'win32' ? ['git.exe'] : ['git'];
  for (const dir of searchPath.split(separator)) {
    if (!dir || !path.isAbsolute(dir)) continue; // a relative PATH entry would depend on the cwd
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (await isExecutable(candidate, platform)) return candidate;
    }
  }
  return undefined;
}

async function probe(options: FindGitOptions): Promise<GitBinary | undefined> {
  const platform = options.platform ?? process.platform;
  const file = options.path ?? (await resolveOnPath(options.searchPath ?? process.env.PATH ?? '', platform));
  if (!file) return undefined;
  try {
    const { stdout } = await runGit(['--version'], { git: { path: file, version: '0' }, signal: options.signal, timeoutMs: 15_000 });
    const version = parseGitVersion(stdout);
    return version ? { path: file, version } : undefined;
  } catch {
    return undefined;
  }
}

/** The git to use, or undefined when there is none that runs. Cached; see clearGitCache. */
export function findGit(options: FindGitOptions = {}): Promise<GitBinary | undefined> {
  const key = `${options.path ?? ''}\0${options.searchPath ?? ''}`;
  let found = cache.get(key);
  if (!found) {
    found = probe(options);
    cache.set(key, found);
    // A cancelled probe must not be remembered as "no git".
    found.then((binary) => {
      if (!binary && options.signal?.aborted) cache.delete(key);
    });
  }
  return found;
}

export function clearGitCache(): void {
  cache.clear();
}
