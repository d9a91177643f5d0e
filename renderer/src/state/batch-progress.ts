/** How far a batch has come, as one figure, from its items and their clone jobs. Pure. */
import type { CloneBatch, CloneJob } from '../../../shared/contract';

/** The job now standing for a repository: its own, or the retry (of a retry) that took its card's place. */
export function currentJob(jobId: string | undefined, jobs: Readonly<Record<string, CloneJob>>): CloneJob | undefined {
  if (!jobId) return undefined;
  if (jobs[jobId]) return jobs[jobId];
  const retry = Object.values(jobs).find((job) => job.retryOf === jobId);
  return retry ? currentJob(retry.jobId, jobs) : undefined;
}

/**
 * Ended repositories count whole, running ones by their own progress: one bar for the group.
 * Counting repositories equally, not bytes, keeps the bar from jumping back when a big one
 * starts (its size is unknown until its transfer begins).
 */
export function batchFraction(batch: CloneBatch, jobs: Readonly<Record<string, CloneJob>>): number {
  if (batch.finishedAt || batch.items.length === 0) return 1;
  const sum = batch.items.reduce((total, item) => {
    if (item.state === 'done' || item.state === 'failed' || item.state === 'cancelled') return total + 1;
    return total + (item.state === 'cloning' ? (currentJob(item.jobId, jobs)?.progress?.value ?? 0) : 0);
  }, 0);
  return sum / batch.items.length;
}

/** Every job a batch started, with the retries that took their places. */
export function jobIdsOfBatches(batches: readonly CloneBatch[], jobs: Readonly<Record<string, CloneJob>>): Set<string> {
  const ids = new Set(batches.flatMap((batch) => batch.items.flatMap((item) => (item.jobId ? [item.jobId] : []))));
  let grew = true;
  while (grew) {
    grew = false;
    for (const job of Object.values(jobs)) {
      if (job.retryOf && ids.has(job.retryOf) && !ids.has(job.jobId)) {
        ids.add(job.jobId);
        grew = true;
      }
    }
  }
  return ids;
}
