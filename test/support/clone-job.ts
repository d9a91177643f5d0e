/** Starts a clone job through the contract and waits until it has finished, whatever the outcome. */
import type { CloneJob, ContractClient, ParamsOf } from '../../shared/contract';

export async function cloneAndWait(client: ContractClient, params: ParamsOf<'clone.start'>): Promise<CloneJob> {
  // Events can arrive before clone.start answers (a job may even fail at once): keep them all.
  const finished = new Map<string, CloneJob>();
  const wanted: { jobId?: string } = {};
  let resolveDone: (job: CloneJob) => void = () => {};
  const done = new Promise<CloneJob>((resolve) => (resolveDone = resolve));
  const off = client.on('clone.state', ({ job }) => {
    if (!job.finishedAt) return;
    finished.set(job.jobId, job);
    if (job.jobId === wanted.jobId) resolveDone(job);
  });
  const { jobId } = await client.call('clone.start', params);
  wanted.jobId = jobId;
  const already = finished.get(jobId);
  if (already) resolveDone(already);
  const job = await done;
  off();
  return job;
}
