/**
 * Every clone the helper is running or has finished since this page loaded, newest first (a
 * retry in the place of the clone it retries). "Clear finished" removes the done, failed and
 * cancelled ones; running ones stay. Their outcomes stay in Activity.
 */
import { useRef, useState } from 'react';
import { finished } from '../state/clone-jobs-slice';
import { useCloneJobs, useNavigation } from '../state/stores';
import { CloneJobCard } from './CloneJobCard';

export function CloneJobList() {
  const order = useCloneJobs((state) => state.order);
  const jobs = useCloneJobs((state) => state.jobs);
  const clearFinished = useCloneJobs((state) => state.clearFinished);
  const show = useNavigation((state) => state.show);
  const [cleared, setCleared] = useState<number | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const visible = order.map((id) => jobs[id]).filter((job) => job !== undefined);
  const finishedCount = visible.filter(finished).length;
  if (visible.length === 0 && cleared === undefined) return null;

  const clear = () => {
    setCleared(clearFinished());
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
      {visible.length > 0 && (
        <ul className="jobs__list" data-testid="clone-jobs">
          {visible.map((job) => <CloneJobCard key={job.jobId} job={job} />)}
        </ul>
      )}
    </section>
  );
}
