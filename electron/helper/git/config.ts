/**
 * Reading and writing a repository's git config with `git -C <repo> config`. Writes always go to
 * the repository's own file (--local); reads see every scope (system, global, local) like git
 * itself does, unless `local: true`. Values go through `--null` output, so a value may hold
 * spaces, newlines or a leading '-' (always after `--`) without being misread.
 *
 * Never store credentials with these: tokens reach git through configEnv() for one process only.
 */
import { requireAbsolutePath, requireConfigKey, runOptions, runnerOf, invalid, type GitCommandOptions } from './arguments';

export interface ConfigReadOptions extends GitCommandOptions {
  /** Only the repository's own config file. */
  local?: boolean;
}

export interface SetConfigOptions extends GitCommandOptions {
  /** Add another value to a multi-valued key instead of replacing the one value. */
  add?: boolean;
}

export interface UnsetConfigOptions extends GitCommandOptions {
  /** Remove every value of a multi-valued key. */
  all?: boolean;
}

// `git config` exit codes: 1 = key not found (for --get), 5 = nothing to unset.
const notFound = 1;
const nothingToUnset = 5;

function splitNull(stdout: string): string[] {
  const values = stdout.split('\0');
  values.pop(); // --null terminates every value, so the last piece is always empty
  return values;
}

async function read(repository: string, key: string, mode: '--get' | '--get-all', options: ConfigReadOptions): Promise<string[]> {
  const repo = requireAbsolutePath('repository', repository);
  const name = requireConfigKey(key);
  const args = ['-C', repo, 'config', ...(options.local ? ['--local'] : []), '--null', mode, '--', name];
  const { stdout, exitCode } = await runnerOf(options)(args, { ...runOptions(options), successExitCodes: [0, notFound] });
  return exitCode === notFound ? [] : splitNull(stdout);
}

/** The value of `key` (the last one, as git uses it), or undefined when it is not set. */
export async function getConfig(repository: string, key: string, options: ConfigReadOptions = {}): Promise<string | undefined> {
  return (await read(repository, key, '--get', options)).at(-1);
}

/** Every value of a multi-valued key, in file order; [] when it is not set. */
export async function getConfigAll(repository: string, key: string, options: ConfigReadOptions = {}): Promise<string[]> {
  return read(repository, key, '--get-all', options);
}

/**
 * Sets `key` in the repository's config. Without `add`, a key with several values is an error
 * (git refuses to guess which to replace); unset it with `all` first.
 */
export async function setConfig(repository: string, key: string, value: string, options: SetConfigOptions = {}): Promise<void> {
  const repo = requireAbsolutePath('repository', repository);
  const name = requireConfigKey(key);
  if (typeof value !== 'string') throw invalid('config value must be a string');
  if (value.includes('\0')) throw invalid('config value must not contain NUL');
  const args = ['-C', repo, 'config', '--local', ...(options.add ? ['--add'] : []), '--', name, value];
  await runnerOf(options)(args, runOptions(options));
}

/** Removes `key` from the repository's config; returns false when it was not set. */
export async function unsetConfig(repository: string, key: string, options: UnsetConfigOptions = {}): Promise<boolean> {
  const repo = requireAbsolutePath('repository', repository);
  const name = requireConfigKey(key);
  const args = ['-C', repo, 'config', '--local', options.all ? '--unset-all' : '--unset', '--', name];
  const { exitCode, stderr } = await runnerOf(options)(args, { ...runOptions(options), successExitCodes: [0, nothingToUnset] });
  // Exit 5 also means "several values match", which is not "was not set".
  if (exitCode === nothingToUnset && /multiple values/.test(stderr)) throw invalid(`${name} has several values; pass all: true to remove them all`);
  return exitCode === 0;
}
