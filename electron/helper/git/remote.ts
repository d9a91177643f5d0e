/**
 * A remote's URLs. After a clone from a mirror, `url` is the mirror (fetch) and `pushurl` the
 * primary (mirrors are read-only); switching mirrors changes `url` only (DESIGN.md, git rules).
 * URLs pass the clone URL gate before they are written, so .git/config never holds an `ext::`
 * URL, a local path or credentials (http user info is dropped by the gate).
 */
import { requireAbsolutePath, requireRemoteName, requireSafeUrl, runOptions, runnerOf, type GitCommandOptions } from './arguments';

export interface SetRemoteUrlOptions extends GitCommandOptions {
  /** Set the push URL (remote.<name>.pushurl) instead of the fetch URL. */
  push?: boolean;
}

export interface RemoteUrls {
  /** remote.<name>.url, or undefined when the remote has none (or does not exist). */
  fetch: string | undefined;
  /** remote.<name>.pushurl when one is set; undefined means git pushes to `fetch`. */
  push: string | undefined;
}

/** Sets the fetch (or, with push: true, the push) URL of an existing remote. */
export async function setRemoteUrl(repository: string, name: string, url: string, options: SetRemoteUrlOptions = {}): Promise<void> {
  const repo = requireAbsolutePath('repository', repository);
  const remote = requireRemoteName(name);
  const checked = requireSafeUrl(url);
  const args = ['-C', repo, 'remote', 'set-url', ...(options.push ? ['--push'] : []), '--', remote, checked.url];
  await runnerOf(options)(args, runOptions(options));
}

/** The push URL of a remote as a config entry, through the same gate (git/config-entries.ts). */
export function pushUrlEntry(name: string, url: string): readonly [string, string] {
  return [`remote.${requireRemoteName(name)}.pushurl`, requireSafeUrl(url).url];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The remote's fetch URL and its separate push URL, read in one git call. */
export async function getRemoteUrls(repository: string, name: string, options: GitCommandOptions = {}): Promise<RemoteUrls> {
  const repo = requireAbsolutePath('repository', repository);
  const remote = requireRemoteName(name);
  const pattern = `^remote\\.${escapeRegExp(remote)}\\.(url|pushurl)$`;
  const args = ['-C', repo, 'config', '--null', '--get-regexp', '--', pattern];
  const { stdout, exitCode } = await runnerOf(options)(args, { ...runOptions(options), successExitCodes: [0, 1] });
  const urls: RemoteUrls = { fetch: undefined, push: undefined };
  if (exitCode === 1) return urls;
  // --null: each entry is "key\nvalue\0". With several values git uses the first url for fetching.
  for (const entry of stdout.split('\0')) {
    const newline = entry.indexOf('\n');
    if (newline < 0) continue;
    const key = entry.slice(0, newline).toLowerCase();
    const value = entry.slice(newline + 1);
    if (key.endsWith('.pushurl')) urls.push ??= value;
    else urls.fetch ??= value;
  }
  return urls;
}
