/**
 * Argument checks shared by the command files. Each public git function validates what it is
 * given before anything runs, so a bad value fails with a clear 'invalid-argument' (or
 * 'unsafe-url') GitError instead of reaching git, where a value starting with '-' could read as
 * an option and a URL like `ext::sh -c ...` could run a command.
 */
import path from 'node:path';
import { checkCloneUrl, type CheckedCloneUrl } from '../../../shared/git-url-safety';
import { GitError } from './errors';
import type { GitBinary } from './git-binary';
import { runGit, type GitRunner } from './runner';

/** Options every command takes. */
export interface GitCommandOptions {
  signal?: AbortSignal;
  /** Added to git's environment, e.g. configEnv([...]) with credentials. */
  env?: Record<string, string>;
  git?: GitBinary;
  timeoutMs?: number;
  /** Runs git; default runGit. Tests pass a wrapper to see the arguments. */
  runner?: GitRunner;
  /** POSIX: the umask git creates files with (runner.ts); default the helper's own. */
  umask?: number;
}

export function runnerOf(options: GitCommandOptions): GitRunner {
  return options.runner ?? runGit;
}

/** The runner options every command passes on. */
export function runOptions(options: GitCommandOptions) {
  return { signal: options.signal, env: options.env, git: options.git, timeoutMs: options.timeoutMs, umask: options.umask };
}

export function invalid(message: string): GitError {
  return new GitError('invalid-argument', message);
}

export function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${name} must be a non-empty string`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000\r\n]/.test(value)) throw invalid(`${name} must be a single line`);
  return value;
}

/** An absolute path: git's cwd and `-C` must not depend on the helper's own working directory. */
export function requireAbsolutePath(name: string, value: unknown): string {
  const text = requireString(name, value);
  if (!path.isAbsolute(text)) throw invalid(`${name} must be an absolute path`);
  return path.normalize(text);
}

/** A URL checked by the project's gate (shared/git-url-safety.ts); the safe form git gets. */
export function requireSafeUrl(value: unknown): Extract<CheckedCloneUrl, { ok: true }> {
  const checked = checkCloneUrl(requireString('url', value));
  if (!checked.ok) throw new GitError('unsafe-url', `That repository address is not allowed: ${checked.reason}.`);
  return checked;
}

/** Looks like a URL rather than a remote name: a scheme, `::`, or scp-like `user@host:path`. */
export function looksLikeUrl(value: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value) || value.includes('::') || /^[^/]*@[^/]*:/.test(value) || value.includes('/') || value.includes('\\');
}

export function requireRemoteName(value: unknown): string {
  const name = requireString('remote name', value);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.endsWith('.lock') || name.includes('..')) {
    throw invalid(`${JSON.stringify(name)} is not a valid remote name`);
  }
  return name;
}

/**
 * A ref or branch name by git's check-ref-format rules (the ones that matter here): no
 * leading '-', no '..', no control characters, spaces or ~^:?*[\, no '@{', no '//' or '.lock'.
 */
export function requireRefName(name: string, value: unknown): string {
  const ref = requireString(name, value);
  const bad =
    ref.startsWith('-') ||
    ref.startsWith('/') ||
    ref.endsWith('/') ||
    ref.endsWith('.') ||
    ref.endsWith('.lock') ||
    ref.includes('..') ||
    ref.includes('//') ||
    ref.includes('@{') ||
    ref === '@' ||
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0020\u007f~^:?*[\\]/.test(ref) ||
    ref.split('/').some((part) => part.startsWith('.'));
  if (bad) throw invalid(`${name} ${JSON.stringify(ref)} is not a valid ref name`);
  return ref;
}

/** A revision expression for rev-parse: anything git accepts, but never something option-like. */
export function requireRevision(value: unknown): string {
  const rev = requireString('revision', value);
  // eslint-disable-next-line no-control-regex
  if (rev.startsWith('-') || /[\u0000-\u0020\u007f]/.test(rev)) throw invalid(`${JSON.stringify(rev)} is not a valid revision`);
  return rev;
}

export function requireOid(name: string, value: unknown): string {
  const oid = requireString(name, value);
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(oid)) throw invalid(`${name} must be a full object id (40 or 64 hex digits)`);
  return oid;
}

/** A config key: section[.subsection].name. The subsection may hold almost anything (URLs). */
export function requireConfigKey(value: unknown): string {
  const key = requireString('config key', value);
  if (!/^[A-Za-z][A-Za-z0-9-]*(\..+)?\.[A-Za-z][A-Za-z0-9-]*$/s.test(key)) throw invalid(`${JSON.stringify(key)} is not a git config key`);
  return key;
}

/** A refspec for fetch: `[+]src[:dst]` or a negative `^src`; nothing option-like. */
export function requireRefspec(value: unknown): string {
  const spec = requireString('refspec', value);
  // eslint-disable-next-line no-control-regex
  if (spec.startsWith('-') || /[\u0000-\u0020\u007f]/.test(spec)) throw invalid(`${JSON.stringify(spec)} is not a valid refspec`);
  return spec;
}

export function requirePositiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(`${name} must be a positive integer`);
  return value;
}
