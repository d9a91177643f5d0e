/**
 * The one place git is spawned. Every git command file calls runGit; nothing else starts git.
 *
 * - Environment: safeGitEnv() (environment.ts) plus the caller's additions, e.g. configEnv().
 * - Failures: a non-zero exit becomes a GitError whose kind is read from git's stderr (errors.ts);
 *   the error holds the subcommand and a redacted stderr tail, never argv or environment values.
 * - Cancelling: git runs detached (its own process group) so an abort or a timeout ends the whole
 *   tree (process-tree.ts). The promise rejects with 'cancelled' or 'timeout' only once no process
 *   of the tree is alive, so the caller may delete the directory git was writing to right away.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { configEntriesOf, safeGitEnv } from './environment';
import { GitError, classifyGitStderr, describeFailure, redactSecrets, stderrTail, type GitErrorKind } from './errors';
import { gitFeatures, gitVersionAtLeast, type GitBinary } from './git-binary';
import { stopProcessTree } from './process-tree';

export { configEnv, safeGitEnv } from './environment';
export { GitError, isGitError, type GitErrorKind } from './errors';
export { gitVersionAtLeast, type GitBinary } from './git-binary';
export { findGit } from './version';

export interface GitRunOptions {
  cwd?: string;
  /** Added to the safe base environment (environment.ts); the safety variables cannot be overridden. */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Raw stderr text as it arrives (progress lines end in '\r'), decoded as UTF-8. */
  onStderr?(chunk: string): void;
  /** What git reads; a stream for input too big to hold in memory (a pack for index-pack). */
  stdin?: string | Buffer | Readable;
  /** Stop git (kind 'timeout') after this long. Default: no limit. */
  timeoutMs?: number;
  /** Which git; default `git` from PATH. */
  git?: GitBinary;
  /** Exit codes that are answers, not failures (e.g. 1 from `config --get` for a missing key). Default [0]. */
  successExitCodes?: readonly number[];
  /** Called with git's pid once it has started (the process group id on POSIX). */
  onSpawn?(pid: number): void;
  /** Between SIGTERM and SIGKILL when stopping. Default 2000 ms. */
  killGraceMs?: number;
  /** The environment to start from instead of process.env (tests). */
  baseEnv?: NodeJS.ProcessEnv;
  /**
   * POSIX: the umask git (and whatever it starts) creates files with, e.g. 0o077 where it writes
   * into the helper's private data folder. The helper's own umask is left as it is, since other
   * git processes write into the user's folders.
   */
  umask?: number;
}

export interface GitResult {
  stdout: string;
  /** The same bytes undecoded, for output that is not text (object contents). */
  stdoutBytes?: Buffer;
  /** At most the last 64 KiB: a long clone prints megabytes of progress. */
  stderr: string;
  exitCode: number;
}

export type GitRunner = (args: string[], options?: GitRunOptions) => Promise<GitResult>;

const stderrKeepChars = 64 * 1024;
// After git exits, its pipes close as soon as every descendant holding them is gone. Should a
// descendant linger with them open, we stop waiting and settle with what we have.
const closeAfterExitMs = 5_000;

// Global options that take a separate value; the subcommand is the first word after them.
const globalOptionsWithValue = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env']);

/** The git subcommand of an argument list: `['-C', dir, 'config', ...]` -> 'config'. */
export function commandName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (globalOptionsWithValue.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

function validate(args: unknown, options: GitRunOptions): void {
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string' || arg.includes('\0'))) {
    throw new GitError('invalid-argument', 'runGit: args must be an array of strings without NUL characters');
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw new GitError('invalid-argument', 'runGit: timeoutMs must be > 0');
  // An older git silently ignores GIT_CONFIG_COUNT: a clone would go out without its credentials.
  // (Other one-off config, e.g. http.followRedirects, only loses a refinement, so it may go on.)
  const carriesCredentials = configEntriesOf(options.env ?? {}).some(([key]) => /extraheader$|^credential\./i.test(key));
  if (carriesCredentials && options.git && !gitVersionAtLeast(options.git, gitFeatures.configEnv)) {
    throw new GitError('git-too-old', `git ${options.git.version} ignores one-off configuration from the environment; ${gitFeatures.configEnv} or newer is needed`);
  }
}

async function spawnFailureKind(error: NodeJS.ErrnoException, cwd: string | undefined): Promise<GitErrorKind> {
  if (error.code !== 'ENOENT' && error.code !== 'EACCES') return 'unknown';
  // Node reports a missing working directory as a failed spawn of git too.
  if (cwd !== undefined && !(await stat(cwd).then((s) => s.isDirectory(), () => false))) return 'invalid-argument';
  return 'git-missing';
}

/**
 * A child inherits its umask when it is forked, which spawn() does before it returns: the mask
 * set here reaches git, and the helper's own is back before any other code runs.
 */
function withUmask<T>(mask: number | undefined, start: () => T): T {
  if (mask === undefined || process.platform === 'win32') return start();
  const previous = process.umask(mask);
  try {
    return start();
  } finally {
    process.umask(previous);
  }
}

export function runGit(args: string[], options: GitRunOptions = {}): Promise<GitResult> {
  try {
    validate(args, options);
  } catch (error) {
    return Promise.reject(error);
  }
  const command = commandName(args);
  const secrets = Object.values(options.env ?? {});
  const fail = (kind: GitErrorKind, exitCode: number | null | undefined, stderr: string, cause?: unknown) => {
    const tail = redactSecrets(stderrTail(stderr), secrets);
    return new GitError(kind, describeFailure(kind, command, tail), { command, exitCode, stderrTail: tail, cause });
  };
  if (options.signal?.aborted) return Promise.reject(fail('cancelled', undefined, ''));

  return new Promise<GitResult>((resolve, reject) => {
    const detached = process.platform !== 'win32';
    const child = withUmask(options.umask, () =>
      spawn(options.git?.path ?? 'git', args, {
        cwd: options.cwd,
        env: safeGitEnv(options.env, options.baseEnv),
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        detached,
        windowsHide: true,
      }),
    );
    const stdout: Buffer[] = [];
    let stderr = '';
    const decoder = new StringDecoder('utf8');
    let settled = false;
    let stopping: 'cancelled' | 'timeout' | undefined;

    const cleanup = () => {
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      clearTimeout(closeTimer);
    };
    const stop = (why: 'cancelled' | 'timeout') => {
      if (settled || stopping) return;
      stopping = why;
      void stopProcessTree(child, { graceMs: options.killGraceMs }).then(() => {
        if (settled) return;
        cleanup();
        reject(fail(why, child.exitCode, stderr));
      });
    };
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    let closeTimer: NodeJS.Timeout | undefined;

    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = decoder.write(chunk);
      stderr = (stderr + text).slice(-stderrKeepChars);
      try {
        if (text) options.onStderr?.(text);
      } catch {
        // A failing progress listener is the caller's bug; it must not take the helper down
        // (this runs in a stream event handler, where a throw is an uncaught exception).
      }
    });
    if (options.stdin !== undefined) {
      child.stdin!.on('error', () => {}); // EPIPE when git exits without reading: its exit code tells
      if (options.stdin instanceof Readable) {
        // A stream that fails (a file gone) ends git's input early: git's own error then says so.
        options.stdin.once('error', () => child.stdin!.end());
        options.stdin.pipe(child.stdin!);
      } else child.stdin!.end(options.stdin);
    }
    child.once('spawn', () => {
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (settled || stopping) return;
      cleanup();
      void spawnFailureKind(error, options.cwd).then((kind) => reject(fail(kind, undefined, error.message, error)));
    });

    const finish = (code: number | null) => {
      if (settled || stopping) return;
      cleanup();
      const exitCode = code ?? -1;
      if ((options.successExitCodes ?? [0]).includes(exitCode)) {
        const bytes = Buffer.concat(stdout);
        resolve({ stdout: bytes.toString('utf8'), stdoutBytes: bytes, stderr, exitCode });
      } else {
        reject(fail(classifyGitStderr(stderr), code, stderr));
      }
    };
    child.once('exit', (code) => {
      closeTimer = setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        finish(code);
      }, closeAfterExitMs);
    });
    child.once('close', (code) => finish(code));
  });
}
