/**
 * The window's surroundings when batches run: the taskbar/dock progress and the title cover a
 * batch as a whole (each of its repositories one share, as single clones are), and one notice
 * says how a batch ended, in place of one per repository. Pure, so wording and arithmetic are
 * tested without a desktop.
 */
import type { CloneBatch, CloneJob } from '../../../shared/contract';
import type { DesktopNotification, TaskbarProgress } from '../../../shared/contract/desktop';
import { batchFraction, jobIdsOfBatches } from '../state/batch-progress';
import { isFinished, summarizeClones } from './clone-activity';
import { formatRepositoryCount } from '../../../shared/format';

export function summarizeWork(jobs: Readonly<Record<string, CloneJob>>, batches: readonly CloneBatch[]): TaskbarProgress {
  const inBatches = jobIdsOfBatches(batches, jobs);
  const single = summarizeClones(Object.values(jobs).filter((job) => !inBatches.has(job.jobId)));
  const running = batches.filter((batch) => !batch.finishedAt);
  const failed = single.mode === 'error' || batches.some((batch) => batch.totals.failed > 0);
  const mode = failed ? 'error' : 'normal';
  const shares = single.running + running.reduce((sum, batch) => sum + batch.items.length, 0);
  if (shares === 0) return { fraction: undefined, mode, running: 0 };
  const done = (single.fraction ?? 0) * single.running + running.reduce((sum, batch) => sum + batchFraction(batch, jobs) * batch.items.length, 0);
  const left = running.reduce((sum, batch) => sum + batch.items.filter((item) => item.state === 'waiting' || item.state === 'cloning').length, 0);
  // Whole percents, as for single clones: an unchanged figure is not sent on.
  return { fraction: Math.floor((done / shares) * 100) / 100, mode, running: single.running + left };
}


/** The notice for a batch that just ended, or none (a cancel was the user's own doing). */
export function batchNotice(batch: CloneBatch): DesktopNotification | undefined {
  if (batch.state !== 'done') return undefined;
  const { totals } = batch;
  if (totals.failed === 0) {
    const already = totals.alreadyThere > 0 ? ` (${totals.alreadyThere} already there)` : '';
    return { title: `Cloned ${formatRepositoryCount(totals.repositories)}`.slice(0, 120), body: `Into ${batch.parentDirectory}${already}.`.slice(0, 400) };
  }
  const failed = batch.items.filter((item) => item.state === 'failed').map((item) => item.repository);
  return {
    title: `${totals.done} of ${formatRepositoryCount(totals.repositories)} cloned`.slice(0, 120),
    body: `${failed.length} failed: ${failed.join(', ')}.`.slice(0, 400),
  };
}

/** Jobs a batch started raise no notice of their own: the batch's notice covers them. */
export function noticeIsForBatch(job: CloneJob, batches: readonly CloneBatch[], jobs: Readonly<Record<string, CloneJob>>): boolean {
  return isFinished(job) && jobIdsOfBatches(batches, jobs).has(job.jobId);
}
