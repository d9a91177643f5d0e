/**
 * Every clone the helper is running or has finished since this page loaded: batches first (each
 * one card, its repositories' cards inside it), then single clones, newest first (a retry in the
 * place of the clone it retries). "Clear finished" removes the done, failed and cancelled ones;
 * running ones stay. Their outcomes stay in Activity.
 */
import { useRef, useState } from 'react';
import { finished } from '../state/clone-jobs-slice';
import { batchFinished } from '../state/clone-batches-slice';
import { jobIdsOfBatches } from '../state/batch-progress';
import { useCloneBatches, useCloneJobs, useNavigation } from '../state/stores';
import { CloneJobCard } from './CloneJobCard';
import { CloneBatchCard } from './CloneBatchCard';

export function CloneJobList() {
  const order = useCloneJobs((state) => state.order);
  const jobs = useCloneJobs((state) => state.jobs);
  const clearFinishedJobs = useCloneJobs((state) => state.clearFinished);
  const batchOrder = useCloneBatches((state) => state.order);
  const batchesById = useCloneBatches((state) => state.batches);
  const dismissBatch = useCloneBatches((state) => state.dismiss);
  const show = useNavigation((state) => state.show);
  const [cleared, setCleared] = useState<number | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const batches = batchOrder.map((id) => batchesById[id]).filter((batch) => batch !== undefined);
  const grouped = jobIdsOfBatches(batches, jobs);
  const visible = order.filter((id) => !grouped.has(id)).map((id) => jobs[id]).filter((job) => job !== undefined);
  const finishedBatches = batches.filter(batchFinished);
  const finishedCount = visible.filter(finished).length + finishedBatches.length;
  if (visible.length === 0 && batches.length === 0 && cleared === undefined) return null;

  const clear = () => {
    // A finished batch's repositories go with its card; a running batch keeps all of its own.
    const runningBatchJobs = jobIdsOfBatches(batches.filter((batch) => !batchFinished(batch)), jobs);
    for (const batch of finishedBatches) dismissBatch(batch.batchId);
    const kept = Object.values(jobs).filter((job) => runningBatchJobs.has(job.jobId) && finished(job));
    clearFinishedJobs({ keep: kept.map((job) => job.jobId) });
    // Counted as the list showed them: a batch is one card.
    setCleared(finishedCount);
    // The button goes with the cards it cleared: the list's heading keeps the keyboard's place.
    heading.current?.focus();
  };

  return (
    <section className="jobs" aria-labelledby="jobs-title">
      <div className="jobs__head">
        <h2 id="jobs-title" className="content__subtitle" tabIndex={-1} ref={heading}>Clones</h2>
        {finishedCount > 0 && (
          <button type="button" className="button button--small" onClick={clear} data-testid="clear-finished">
            Clear finished ({finishedCount})
          </button>
        )}
      </div>
      <p className="jobs__cleared muted" aria-live="polite" data-testid="jobs-cleared">
        {cleared !== undefined && finishedCount === 0 && (
          <>
            {cleared === 1 ? 'Cleared 1 finished clone.' : `Cleared ${cleared} finished clones.`} Their outcomes stay in{' '}
            <button type="button" className="link-button" onClick={() => show('activity')}>Activity</button>.
          </>
        )}
      </p>
      {(batches.length > 0 || visible.length > 0) && (
        <ul className="jobs__list" data-testid="clone-jobs">
          {batches.map((batch) => <CloneBatchCard key={batch.batchId} batch={batch} />)}
          {visible.map((job) => <CloneJobCard key={job.jobId} job={job} />)}
        </ul>
      )}
    </section>
  );
}
