/** How many clones are running now: for the status bar and the sidebar, wherever the user is. */
import type { CloneJob } from '../../../shared/contract';

export function runningCloneCount(jobs: Record<string, CloneJob>): number {
  return Object.values(jobs).filter((job) => job.finishedAt === undefined && job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled').length;
}

export const runningClonesText = (count: number) => `${count} ${count === 1 ? 'clone' : 'clones'} running`;
