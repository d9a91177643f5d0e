/**
 * `git fetch --stdin <remote>` with object ids: exactly these objects (and, for a commit or a tree,
 * what they reach that the repository's refs do not), as git's own partial clone asks for what it
 * lacks. Protocol v2 lets a client ask for any object the server holds; a server that speaks only
 * the first protocol refuses ids it did not advertise (a GitError of kind 'object-refused').
 */
import { requireAbsolutePath, requireOid, requireRemoteName, runOptions, type GitCommandOptions } from './arguments';
import type { GitProgress } from './progress';
import { runWithProgress } from './run-with-progress';

export interface FetchObjectsOptions extends GitCommandOptions {
  repository: string;
  remote: string;
  oids: readonly string[];
  onProgress?(progress: GitProgress): void;
}

export async function fetchObjectsById(options: FetchObjectsOptions): Promise<void> {
  const repository = requireAbsolutePath('repository', options.repository);
  const remote = requireRemoteName(options.remote);
  const oids = options.oids.map((oid) => requireOid('oid', oid));
  if (oids.length === 0) return;
  const args = ['-C', repository, '-c', 'protocol.version=2', 'fetch', '--progress', '--no-tags', '--no-write-fetch-head', '--stdin', '--', remote];
  await runWithProgress(args, { ...runOptions(options), onProgress: options.onProgress, stdin: `${oids.join('\n')}\n` });
}
