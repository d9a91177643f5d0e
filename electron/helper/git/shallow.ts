/** Shallow repositories: whether one is, and making one whole that already holds all its history. */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requireAbsolutePath, runOptions, runnerOf, type GitCommandOptions } from './arguments';

/** `git rev-parse --is-shallow-repository`: whether some history is still missing below shallow roots. */

export async function isShallowRepository(repository: string, options: GitCommandOptions = {}): Promise<boolean> {
  const repo = requireAbsolutePath('repository', repository);
  const { stdout } = await runnerOf(options)(['-C', repo, 'rev-parse', '--is-shallow-repository'], runOptions(options));
  return stdout.trim() === 'true';
}

/**
 * Removes the shallow boundary of a repository that holds every object below it already (checked
 * with missingObjects), as `git fetch --unshallow` does once the history has arrived.
 */
export async function removeShallowBoundary(repository: string, options: GitCommandOptions = {}): Promise<void> {
  await rm(await shallowFilePath(repository, options), { force: true });
}

/** Where a repository keeps its shallow boundary (`.git/shallow` in a clone). */
export async function shallowFilePath(repository: string, options: GitCommandOptions = {}): Promise<string> {
  const repo = requireAbsolutePath('repository', repository);
  const { stdout } = await runnerOf(options)(['-C', repo, 'rev-parse', '--git-path', 'shallow'], runOptions(options));
  return path.resolve(repo, stdout.trim());
}

/**
 * Writes a shallow boundary: the commits whose parents the repository is to be read without. Only
 * for a repository that holds everything above them (checked with missingObjects). Written through
 * a file of its own and renamed, so git never reads half a list.
 */
export async function writeShallowBoundary(repository: string, commits: readonly string[], options: GitCommandOptions = {}): Promise<void> {
  const target = await shallowFilePath(repository, options);
  const scratch = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(scratch, [...new Set(commits)].sort().map((oid) => `${oid}\n`).join(''));
  await rename(scratch, target);
}

/** The commits a repository's shallow boundary lists (none for a repository that is not shallow). */
export async function readShallowBoundary(repository: string, options: GitCommandOptions = {}): Promise<string[]> {
  const text = await readFile(await shallowFilePath(repository, options), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}
