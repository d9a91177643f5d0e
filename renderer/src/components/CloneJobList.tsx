/** Every clone the helper is running or has finished since this page loaded, newest first. */
import { useCloneJobs } from '../state/stores';
import { CloneJobCard } from './CloneJobCard';

export function CloneJobList() {
  const order = useCloneJobs((state) => state.order);
  const jobs = useCloneJobs((state) => state.jobs);
  const visible = order.map((id) => jobs[id]).filter((job) => job !== undefined);
  if (visible.length === 0) return null;
  return (
    <section className="jobs" aria-labelledby="jobs-title">
      <h2 id="jobs-title" className="content__subtitle">Clones</h2>
      <ul className="jobs__list" data-testid="clone-jobs">
        {visible.map((job) => <CloneJobCard key={job.jobId} job={job} />)}
      </ul>
    </section>
  );
}
