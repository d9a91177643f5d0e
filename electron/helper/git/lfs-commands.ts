/**
 * The git-lfs commands the clone uses, over the one git runner (so cancel ends git-lfs and
 * everything it started, and the environment is the safe one):
 *   `git lfs version`           whether git-lfs is installed at all;
 *   `git grep filter=lfs`       whether the checked-out tree uses LFS (needs no git-lfs);
 *   `git lfs install --local`   the clone's own filters and pre-push hook, whatever the user's global config;
 *   `git lfs ls-files --json`   the LFS files of HEAD and whether each one's content is here;
 *   `git lfs fetch`             download what is missing (from the endpoint the environment names);
 *   `git lfs checkout`          write the downloaded contents over their pointers.
 */
import { z } from 'zod';
import { requireAbsolutePath, runOptions, runnerOf, type GitCommandOptions } from './arguments';
import { GitError } from './errors';

/** git's answer when no `git-lfs` program is on the PATH. */
const NOT_A_COMMAND = /'lfs' is not a git command/;

/** The git-lfs version line (e.g. `git-lfs/3.3.0 (GitHub; linux amd64; go 1.19.8)`), or undefined when git-lfs is missing. */
export async function gitLfsVersion(options: GitCommandOptions = {}): Promise<string | undefined> {
  try {
    const { stdout } = await runnerOf(options)(['lfs', 'version'], runOptions(options));
    return stdout.trim() || undefined;
  } catch (error) {
    if (error instanceof GitError && (NOT_A_COMMAND.test(error.stderrTail ?? '') || error.kind === 'git-missing')) return undefined;
    throw error;
  }
}

/** Whether any .gitattributes at HEAD sends files through the lfs filter (an empty repository has no HEAD: no). */
export async function usesLfs(repository: string, options: GitCommandOptions = {}): Promise<boolean> {
  const cwd = requireAbsolutePath('repository', repository);
  const run = runnerOf(options);
  const { exitCode: hasHead } = await run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { ...runOptions(options), cwd, successExitCodes: [0, 1] });
  if (hasHead !== 0) return false;
  const { exitCode } = await run(['grep', '--quiet', '--fixed-strings', 'filter=lfs', 'HEAD', '--', '.gitattributes', '**/.gitattributes'], {
    ...runOptions(options),
    cwd,
    successExitCodes: [0, 1],
  });
  return exitCode === 0;
}

export async function lfsInstallLocal(repository: string, options: GitCommandOptions = {}): Promise<void> {
  const cwd = requireAbsolutePath('repository', repository);
  await runnerOf(options)(['lfs', 'install', '--local'], { ...runOptions(options), cwd });
}

const lsFilesSchema = z.object({
  files: z
    .array(z.object({ name: z.string(), size: z.number().int().min(0), downloaded: z.boolean(), oid: z.string() }))
    .nullable()
    .transform((files) => files ?? []),
});

export type LfsFile = z.output<typeof lsFilesSchema>['files'][number];

export async function lfsListFiles(repository: string, options: GitCommandOptions = {}): Promise<LfsFile[]> {
  const cwd = requireAbsolutePath('repository', repository);
  const { stdout } = await runnerOf(options)(['lfs', 'ls-files', '--json'], { ...runOptions(options), cwd });
  return lsFilesSchema.parse(JSON.parse(stdout)).files;
}

/** Writes the contents of LFS files whose objects are here over their pointers in the work tree. */
export async function lfsCheckout(repository: string, options: GitCommandOptions = {}): Promise<void> {
  const cwd = requireAbsolutePath('repository', repository);
  await runnerOf(options)(['lfs', 'checkout'], { ...runOptions(options), cwd });
}

/**
 * Downloads the LFS objects of HEAD (or of the tips of `refs`, through `remote`) into the
 * repository's LFS store (a bare local mirror too), checking nothing out.
 */
export async function lfsFetch(repository: string, options: GitCommandOptions & { remote?: string; refs?: string[] } = {}): Promise<void> {
  const cwd = requireAbsolutePath('repository', repository);
  const refs = options.refs ?? [];
  for (const ref of refs) if (!ref.startsWith('refs/')) throw new Error(`not a full ref name: ${ref}`);
  await runnerOf(options)(['lfs', 'fetch', ...(refs.length > 0 ? [options.remote ?? 'origin', ...refs] : [])], { ...runOptions(options), cwd });
}
