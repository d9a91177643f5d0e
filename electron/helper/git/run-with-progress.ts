/** Runs a transfer command (clone, fetch) with its progress parsed into GitProgress updates. */
import { runOptions, runnerOf, type GitCommandOptions } from './arguments';
import { progressReader, type GitProgress } from './progress';

export async function runWithProgress(args: string[], options: GitCommandOptions & { onProgress?(progress: GitProgress): void; expectedBytes?: number | null | Promise<number | null>; stdin?: string }): Promise<void> {
  const progress = options.onProgress ? progressReader(options.onProgress, { expectedBytes: options.expectedBytes }) : undefined;
  await runnerOf(options)(args, {
    ...runOptions(options),
    // Git holds back some progress (checkout, connectivity check) for 2 s; we want all of it.
    env: { GIT_PROGRESS_DELAY: '0', ...options.env },
    onStderr: progress?.onStderr,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
  });
  progress?.finish();
}
