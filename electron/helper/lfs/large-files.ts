/**
 * The clone's Git LFS phase, after the transfer and the top-up (the clone itself ran with
 * GIT_LFS_SKIP_SMUDGE=1, so large files arrive here, with progress, not inside git's checkout):
 *   - no LFS in the tree: nothing to do;
 *   - no git-lfs on this machine: the files stay pointers, and the result says how to fetch them later;
 *   - otherwise: the clone gets its own filters and pre-push hook (`git lfs install --local`), its
 *     LFS pushes and locks go to the primary (remote.origin.lfspushurl), objects a local mirror on
 *     this machine holds are borrowed from disk, and `git lfs fetch` runs against the clone's
 *     source, then, for whatever that server could not deliver, the next sources and finally the
 *     primary, object by object; one `git lfs checkout` then writes them. A source that fails mid-way gets a
 *     second run first: git-lfs resumes its partial downloads with range requests.
 * The primary's credentials reach git-lfs as they reach git (the transfer environment: an
 * Authorization header per origin the primary vouches for), never in argv or .git/config.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ContractError, type CloneSource, type DiscoveryResult, type GitProgressData } from '../../../shared/contract';
import type { z } from 'zod';
import type { largeFilesSchema } from '../../../shared/contract/domains/clone';
import { gitLfsVersion, lfsCheckout, lfsFetch, lfsInstallLocal, lfsListFiles, usesLfs, type LfsFile } from '../git/lfs-commands';
import { setConfig } from '../git/config';
import { orderSources } from '../transfer/sources';
import { configureCredentialHelper } from '../clone/credential-config';
import { lfsEndpoint } from './endpoints';
import { LargeFilesProgress } from './large-files-progress';
import { phaseEnvironment, sourceEnvironment } from './lfs-environment';
import { borrowFromLocalMirror } from './local-mirror-files';

const EMPTY_TALLY = { downloadedBytes: 0, filesDone: 0, fileCount: 0, checkingOut: false };

export type LargeFilesResult = z.output<typeof largeFilesSchema>;

export const INSTALL_GIT_LFS_HINT =
  'Install Git LFS (https://git-lfs.com; e.g. `apt install git-lfs`, `brew install git-lfs`), then run `git lfs install --local && git lfs pull` in the clone to fetch the large files.';

export interface LargeFilesContext {
  /** The clone (still in its temporary folder). */
  repository: string;
  discovery: DiscoveryResult;
  /** The server the clone came from: LFS objects are asked of it first. */
  served: CloneSource;
  protocol: 'http' | 'ssh';
  /** The transfer environment: credentials for the origins the primary vouches for. */
  env: Record<string, string>;
  vouchedUrls: string[];
  credentialHelperCommand: string;
  onProgress(source: CloneSource, progress: GitProgressData): void;
  signal: AbortSignal;
  /** A local mirror of this repository on this machine: LFS objects it holds are borrowed, not downloaded. */
  localMirror?: string;
  /** Runs per source before moving on; default 2 (the second resumes the first's partial downloads). */
  runsPerSource?: number;
}

/** The sources LFS objects are asked of, over HTTP(S) whatever the clone's protocol: Bitbucket serves LFS only there. */
function lfsSources(context: LargeFilesContext): CloneSource[] {
  try {
    return orderSources(context.discovery, { protocol: 'http', choice: context.served.id }).sources;
  } catch {
    // The clone's source offers no HTTP(S): the usual order without it.
    return orderSources(context.discovery, { protocol: 'http', choice: 'auto' }).sources;
  }
}

function cancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new ContractError('CANCELLED', 'The clone was cancelled.');
}

/**
 * The clone stands without its large files: a failure of this phase (other than cancel) leaves
 * pointer files and says so, instead of failing the clone.
 */
export async function fetchLargeFiles(context: LargeFilesContext): Promise<LargeFilesResult | undefined> {
  try {
    return await largeFilesPhase(context);
  } catch (error) {
    if (context.signal.aborted) throw new ContractError('CANCELLED', 'The clone was cancelled.');
    const reason = error instanceof Error ? error.message : String(error);
    return { files: 0, bytes: 0, state: 'incomplete', servedBy: [], missing: [], warning: `The large files (Git LFS) could not be fetched (${reason}); they are pointer files for now. Run \`git lfs install --local && git lfs pull\` in the clone to fetch them.` };
  }
}

async function largeFilesPhase(context: LargeFilesContext): Promise<LargeFilesResult | undefined> {
  const { repository, signal } = context;
  const env = phaseEnvironment(context.env);
  if (!(await usesLfs(repository, { env, signal }))) return undefined;
  if (!(await gitLfsVersion({ env, signal }))) {
    return { files: 0, bytes: 0, state: 'pointers', servedBy: [], missing: [], warning: `This repository keeps large files in Git LFS, and git-lfs is not installed: they are pointer files for now. ${INSTALL_GIT_LFS_HINT}` };
  }

  await lfsInstallLocal(repository, { env, signal });
  const primaryHttp = context.discovery.repository.cloneUrls.http;
  // Uploads and locks go to the primary whatever the fetch URL: mirrors are read-only.
  if (primaryHttp) await setConfig(repository, 'remote.origin.lfspushurl', lfsEndpoint(primaryHttp), { signal });
  if (context.protocol === 'ssh') {
    // git-lfs would derive an https:// URL from the SSH one (wrong port and path here); the
    // source's HTTP(S) URL is the real endpoint, and later LFS requests need the HTTP credential.
    const servedHttp = context.discovery.candidates.find((candidate) => candidate.id === context.served.id)?.cloneUrls.http;
    if (servedHttp) await setConfig(repository, 'remote.origin.lfsurl', lfsEndpoint(servedHttp), { signal });
    await configureCredentialHelper(repository, context.vouchedUrls, context.credentialHelperCommand, signal);
  }

  let files = await lfsListFiles(repository, { env, signal });
  // Attributes that name the filter for paths holding no files yet: nothing to fetch or report.
  if (files.length === 0) return undefined;
  const bytesOf = (list: LfsFile[]) => list.reduce((sum, file) => sum + file.size, 0);
  const missing = (list: LfsFile[]) => list.filter((file) => !file.downloaded);
  const totalBytes = bytesOf(files);
  const servedBy: LargeFilesResult['servedBy'] = [];
  const borrowed = context.localMirror && missing(files).length > 0 ? await borrowFromLocalMirror(context.localMirror, repository, missing(files)) : 0;
  if (borrowed > 0) {
    servedBy.push({ name: 'local mirror', files: borrowed });
    files = await lfsListFiles(repository, { env, signal });
  }
  const progressFile = path.join(repository, '.git', 'lfs', 'mirror-clone-progress');
  // git-lfs appends to it: one left by a run that never finished (the app quit, a continued clone)
  // would count as bytes of the first run here, and a source that moved nothing would get a second run.
  await rm(progressFile, { force: true });
  const progress = new LargeFilesProgress({ files: files.length, totalBytes, alreadyBytes: totalBytes - bytesOf(missing(files)) });
  const sources = lfsSources(context);
  // Said at once, before git-lfs writes its first line: the phase has begun and how big it is.
  if (missing(files).length > 0 && sources[0]) context.onProgress(sources[0], progress.progressOf(EMPTY_TALLY, sources[0].name));

  for (const source of sources) {
    if (missing(files).length === 0) break;
    const before = missing(files).length;
    for (let run = 1; run <= (context.runsPerSource ?? 2) && missing(files).length > 0; run += 1) {
      cancelled(signal);
      const watch = progress.follow(progressFile, (value) => context.onProgress(source, value), source.name);
      const runEnv = { ...sourceEnvironment(context.env, source.url), GIT_LFS_PROGRESS: progressFile };
      const failed = await lfsFetch(repository, { env: runEnv, signal }).then(() => false, () => true);
      const moved = await watch.stop();
      cancelled(signal);
      files = await lfsListFiles(repository, { env, signal });
      progress.settle(totalBytes - bytesOf(missing(files)));
      // A server that answered but lacks objects will not have them on a second run; one that
      // broke off mid-way gets another, which resumes the partial downloads.
      if (!failed || moved === 0) break;
    }
    const delivered = before - missing(files).length;
    if (delivered > 0) servedBy.push({ name: source.name, files: delivered });
  }

  // One check-out for everything that arrived, without the progress file: git-lfs would write a
  // line per 32 KiB as it hashes what it wrote, which doubles the time of this step.
  if (files.some((file) => file.downloaded)) {
    cancelled(signal);
    await lfsCheckout(repository, { env, signal });
  }
  const left = missing(files);
  return {
    files: files.length,
    bytes: totalBytes,
    state: left.length === 0 ? 'fetched' : 'incomplete',
    servedBy,
    missing: left.slice(0, 10).map((file) => file.name),
    ...(left.length > 0 ? { warning: `${left.length} large file(s) could not be downloaded from any server and hold pointers; run \`git lfs pull\` in the clone later.` } : {}),
  };
}
