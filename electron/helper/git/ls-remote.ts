/**
 * `git ls-remote --heads --tags -- <url>`: a server's branches and tags with the git binary, for
 * SSH, which the in-process lister (remote-refs.ts, isomorphic-git) cannot speak. The map has the
 * same shape as listRemoteRefs gives: refName -> oid, and `refName^{}` -> the commit an annotated
 * tag points to, so compareRefs works on either.
 */
import { requireSafeUrl, runOptions, runnerOf, invalid, type GitCommandOptions } from './arguments';

export interface LsRemoteOptions extends GitCommandOptions {
  url: string;
  /** Default 30 s: a listing is small; a server that does not answer is better reported than waited for. */
  timeoutMs?: number;
}

export async function lsRemote(options: LsRemoteOptions): Promise<Map<string, string>> {
  if (typeof options !== 'object' || options === null) throw invalid('lsRemote needs an options object');
  const { url } = requireSafeUrl(options.url);
  const args = ['ls-remote', '--heads', '--tags', '--', url];
  const { stdout } = await runnerOf(options)(args, { ...runOptions(options), timeoutMs: options.timeoutMs ?? 30_000 });
  const refs = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [oid, ref] = line.split('\t');
    if (oid && ref && /^[0-9a-f]{40,64}$/.test(oid)) refs.set(ref, oid);
  }
  return refs;
}
