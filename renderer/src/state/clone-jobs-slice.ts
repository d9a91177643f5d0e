/**
 * The clone jobs domain: every clone the helper runs, fed by `clone.state` and `clone.progress`
 * and re-read with `clone.jobs` on each (re)connect, so a reload shows running clones again.
 * The params each job was started with are kept so a failed one can be retried as it was; a
 * retry takes the failed card's place. Dismissing and clearing finished cards tells the helper
 * too, so they stay gone after a reload (the activity history keeps their outcome).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CloneJob, HelperClient, ParamsOf } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';
import { takePlace, withoutKey } from './records';

export type CloneParams = ParamsOf<'clone.start'>;

export interface CloneJobsSlice {
  jobs: Record<string, CloneJob>;
  /** Newest first. */
  order: string[];
  params: Record<string, CloneParams>;
  starting: boolean;
  startError?: ErrorInfo;
  cancelling: Record<string, boolean>;
  /** Why the last Retry of a card was refused (its folder is still taken, say). */
  retryErrors: Record<string, ErrorInfo>;
  start(params: CloneParams): Promise<string | undefined>;
  cancel(jobId: string): Promise<void>;
  retry(jobId: string): Promise<void>;
  dismiss(jobId: string): void;
  /** Removes every done, failed and cancelled card (but those in `keep`); running ones stay. Answers how many went. */
  clearFinished(options?: { keep?: string[] }): number;
  /** Adds one SSH host key the user confirmed to known_hosts; throws the contract error. */
}

export const finished = (job: CloneJob) => job.state === 'done' || job.state === 'failed' || job.state === 'cancelled';

/** `onFinished`: a job ended; `onReady`: a job's clone became ready to work at its destination (history still to come). */
export function createCloneJobsSlice(client: HelperClient | undefined, onFinished: (job: CloneJob) => void, onReady?: (job: CloneJob) => void): StoreApi<CloneJobsSlice> {
  const store = createStore<CloneJobsSlice>()((set, get) => ({
    jobs: {},
    order: [],
    params: {},
    starting: false,
    cancelling: {},
    retryErrors: {},
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
      if (!client || (!params && !job)) return;
      set((state) => ({ retryErrors: withoutKey(state.retryErrors, jobId) }));
      try {
        // The helper starts it again as it was started, and refuses a retry that could only fail.
        const { jobId: newId } = await client.call('clone.retry', { jobId });
        replace(jobId, newId, params);
        return;
      } catch (error) {
        const info = toErrorInfo(error);
        if (info.code !== 'NOT_FOUND' || (!params && !job?.params && !job?.destination)) {
          set((state) => ({ retryErrors: { ...state.retryErrors, [jobId]: info } }));
          return;
        }
      }
      // Unknown to the helper (it restarted since, or it was this page's note of an interrupted
      // clone): start it again from what the page knows. A job from an older helper carries only
      // its destination, which gives the folder (protocol and source are then the defaults).
      const again = params ?? job?.params ?? { repository: job!.repository, ...splitDestination(job!.destination ?? '') };
      set({ starting: true, startError: undefined });
      try {
        const { jobId: newId } = await client.call('clone.start', again);
        set({ starting: false });
        replace(jobId, newId, again);
      } catch (error) {
        set((state) => ({ starting: false, retryErrors: { ...state.retryErrors, [jobId]: toErrorInfo(error) } }));
      }
    },
    dismiss(jobId) {
      forget([jobId]);
    },
    clearFinished(options = {}) {
      const keep = new Set(options.keep);
      const ids = get().order.filter((id) => {
        const job = get().jobs[id];
        return job !== undefined && finished(job) && !keep.has(id);
      });
      forget(ids);
      return ids.length;
    },
  }));

  /** Drops cards here and asks the helper to forget them, so a reload does not bring them back. */
  function forget(ids: string[]) {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    store.setState((state) => ({
      jobs: Object.fromEntries(Object.entries(state.jobs).filter(([id]) => !gone.has(id))),
      order: state.order.filter((id) => !gone.has(id)),
      retryErrors: Object.fromEntries(Object.entries(state.retryErrors).filter(([id]) => !gone.has(id))),
    }));
    // Best effort: a helper that is away has restarted by the time it is back, and kept no finished jobs.
    void client?.call('clone.dismiss', { jobIds: ids }).catch(() => {});
  }

  /** The bar of a retried clone that continues (its history, say), until the new job's own progress comes. */
  const carried = new Map<string, CloneJob['progress']>();

  /** The retried job takes the old card's place; the old card is gone. */
  function replace(oldId: string, newId: string, params: CloneParams | undefined) {
    const old = store.getState().jobs[oldId];
    if (old?.ready && old.progress) carried.set(newId, old.progress);
    store.setState((state) => ({
      jobs: withoutKey(state.jobs, oldId),
      order: takePlace(state.order, oldId, newId),
      params: params ? { ...withoutKey(state.params, oldId), [newId]: params } : withoutKey(state.params, oldId),
    }));
  }

  const upsert = (job: CloneJob) => {
    store.setState((state) => {
      // A clone continued in its folder starts where its stopped card was: the bar never goes back.
      const before = job.retryOf ? state.jobs[job.retryOf] : undefined;
      if (!job.progress && (carried.has(job.jobId) || before?.ready)) job = { ...job, progress: carried.get(job.jobId) ?? before?.progress };
      if (job.progress) carried.delete(job.jobId);
      // A retry started in another window, or answered after its first event: in the old card's place.
      if (job.retryOf && !state.order.includes(job.jobId)) {
        return { jobs: { ...withoutKey(state.jobs, job.retryOf), [job.jobId]: job }, order: takePlace(state.order, job.retryOf, job.jobId) };
      }
      return { jobs: { ...state.jobs, [job.jobId]: job }, order: state.order.includes(job.jobId) ? state.order : [job.jobId, ...state.order] };
    });
  };
  if (client) {
    client.on('clone.state', ({ job }) => {
      const before = store.getState().jobs[job.jobId];
      // A state event may carry no progress; keep the last one seen so the bar never jumps back.
      upsert({ ...job, progress: job.progress ?? before?.progress });
      if (job.ready && !before?.ready) onReady?.(job);
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
            // Cards replaced by a retry this page has not heard of yet give way to it.
            const replaced = new Set(sorted.flatMap((job) => (job.retryOf ? [job.retryOf] : [])));
            let order = [...new Set([...state.order, ...sorted.map((job) => job.jobId)])];
            for (const job of sorted) if (job.retryOf && order.includes(job.retryOf)) order = takePlace(order, job.retryOf, job.jobId);
            const jobs = { ...state.jobs, ...Object.fromEntries([...vanished, ...sorted].map((job) => [job.jobId, job])) };
            return { jobs: Object.fromEntries(Object.entries(jobs).filter(([id]) => !replaced.has(id))), order: order.filter((id) => !replaced.has(id)) };
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
    error: job.ready
      ? { code: 'INTERRUPTED', message: `The helper stopped while this clone's history was arriving; ${job.ready.path} is ready to work as a shallow clone.`, hint: 'Finish history continues it from where it stopped.' }
      : { code: 'INTERRUPTED', message: 'The helper stopped while this clone was running.', hint: 'Retry starts it again; nothing is left at the destination from the stopped clone.' },
  };
}

/** A destination as the parent folder and folder name clone.start takes. */
function splitDestination(destination: string): { parentDirectory: string; folderName?: string } {
  const trimmed = destination.replace(/[\\/]+$/, '');
  const index = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (index <= 0) return { parentDirectory: trimmed };
  return { parentDirectory: trimmed.slice(0, index), folderName: trimmed.slice(index + 1) };
}
