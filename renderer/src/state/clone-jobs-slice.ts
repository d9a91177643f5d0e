/**
 * The clone jobs domain: every clone the helper runs, fed by `clone.state` and `clone.progress`
 * and re-read with `clone.jobs` on each (re)connect, so a reload shows running clones again.
 * The params each job was started with are kept so a failed one can be retried as it was.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CloneJob, HelperClient, ParamsOf } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type CloneParams = ParamsOf<'clone.start'>;

export interface CloneJobsSlice {
  jobs: Record<string, CloneJob>;
  /** Newest first. */
  order: string[];
  params: Record<string, CloneParams>;
  starting: boolean;
  startError?: ErrorInfo;
  cancelling: Record<string, boolean>;
  start(params: CloneParams): Promise<string | undefined>;
  cancel(jobId: string): Promise<void>;
  retry(jobId: string): Promise<void>;
  dismiss(jobId: string): void;
  /** Adds one SSH host key the user confirmed to known_hosts; throws the contract error. */
  trustHostKey(params: ParamsOf<'sshHosts.trust'>): Promise<void>;
}

const finished = (job: CloneJob) => job.state === 'done' || job.state === 'failed' || job.state === 'cancelled';

export function createCloneJobsSlice(client: HelperClient | undefined, onFinished: (job: CloneJob) => void): StoreApi<CloneJobsSlice> {
  const store = createStore<CloneJobsSlice>()((set, get) => ({
    jobs: {},
    order: [],
    params: {},
    starting: false,
    cancelling: {},
    async start(params) {
      if (!client) return undefined;
      set({ starting: true, startError: undefined });
      try {
        const { jobId } = await client.call('clone.start', params);
        set((state) => ({ starting: false, params: { ...state.params, [jobId]: params }, order: state.order.includes(jobId) ? state.order : [jobId, ...state.order] }));
        return jobId;
      } catch (error) {
        set({ starting: false, startError: toErrorInfo(error) });
        return undefined;
      }
    },
    async cancel(jobId) {
      if (!client) return;
      set((state) => ({ cancelling: { ...state.cancelling, [jobId]: true } }));
      try {
        await client.call('clone.cancel', { jobId });
      } catch {
        // The helper is away (the connection notice says so) or the job has just ended; either
        // way its next state event or the re-read on reconnect shows where it stands.
      } finally {
        set((state) => ({ cancelling: { ...state.cancelling, [jobId]: false } }));
      }
    },
    async retry(jobId) {
      const params = get().params[jobId];
      const job = get().jobs[jobId];
      if (!params && !job) return;
      // A job from before this page loaded carries its params; one from an older helper only its
      // destination, which gives the folder (protocol and source are then the defaults).
      const again = params ?? job?.params ?? { repository: job!.repository, ...splitDestination(job!.destination ?? '') };
      get().dismiss(jobId);
      await get().start(again);
    },
    async trustHostKey(params) {
      if (!client) return;
      await client.call('sshHosts.trust', params);
    },
    dismiss(jobId) {
      set((state) => {
        const jobs = { ...state.jobs };
        delete jobs[jobId];
        return { jobs, order: state.order.filter((id) => id !== jobId) };
      });
    },
  }));

  const upsert = (job: CloneJob) => {
    store.setState((state) => ({ jobs: { ...state.jobs, [job.jobId]: job }, order: state.order.includes(job.jobId) ? state.order : [job.jobId, ...state.order] }));
  };
  if (client) {
    client.on('clone.state', ({ job }) => {
      const before = store.getState().jobs[job.jobId];
      // A state event may carry no progress; keep the last one seen so the bar never jumps back.
      upsert({ ...job, progress: job.progress ?? before?.progress });
      if (finished(job) && !(before && finished(before))) onFinished(job);
    });
    client.on('clone.progress', ({ jobId, source, progress }) => {
      const job = store.getState().jobs[jobId];
      if (!job || finished(job)) return;
      upsert({ ...job, source, progress });
    });
    onEveryConnect(client, () => {
      void client.call('clone.jobs', {}).then(
        (jobs) => {
          const sorted = [...jobs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
          const listed = new Set(sorted.map((job) => job.jobId));
          store.setState((state) => {
            // A clone shown as running that the helper no longer knows died with the previous
            // helper and was not started again: say so rather than leave its bar frozen.
            const vanished = Object.values(state.jobs).filter((job) => !finished(job) && !listed.has(job.jobId)).map(interrupted);
            return {
              jobs: { ...state.jobs, ...Object.fromEntries([...vanished, ...sorted].map((job) => [job.jobId, job])) },
              order: [...new Set([...state.order, ...sorted.map((job) => job.jobId)])],
            };
          });
        },
        () => {},
      );
    });
  }
  return store;
}

function interrupted(job: CloneJob): CloneJob {
  return {
    ...job,
    state: 'failed',
    finishedAt: new Date().toISOString(),
    error: { code: 'INTERRUPTED', message: 'The helper stopped while this clone was running.', hint: 'Retry starts it again; nothing is left at the destination from the stopped clone.' },
  };
}

/** A destination as the parent folder and folder name clone.start takes. */
function splitDestination(destination: string): { parentDirectory: string; folderName?: string } {
  const trimmed = destination.replace(/[\\/]+$/, '');
  const index = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (index <= 0) return { parentDirectory: trimmed };
  return { parentDirectory: trimmed.slice(0, index), folderName: trimmed.slice(index + 1) };
}
