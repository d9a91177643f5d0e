/**
 * What the window's surroundings say about clones in progress: one progress figure for the
 * taskbar/dock and the tab title, and the notice when a clone ends. Pure, so the wording and the
 * arithmetic are tested without a desktop.
 */
import type { CloneJob } from '../../../shared/contract';
import type { DesktopNotification, TaskbarProgress } from '../../../shared/contract/desktop';
import { jobTitle } from '../state/job-title';

export const appTitle = 'mirror-clone';

const isRunning = (job: CloneJob) => job.state === 'discovering' || job.state === 'cloning' || job.state === 'finishing';
export const isFinished = (job: CloneJob) => !isRunning(job);

/**
 * Running clones count equally (a clone's size is unknown until its transfer starts, so
 * weighting by bytes would make the bar jump back when a big one begins counting).
 * A failed clone still listed turns the bar to its error mode.
 */
export function summarizeClones(jobs: readonly CloneJob[]): TaskbarProgress {
  const running = jobs.filter(isRunning);
  const mode = jobs.some((job) => job.state === 'failed') ? 'error' : 'normal';
  if (running.length === 0) return { fraction: undefined, mode, running: 0 };
  const total = running.reduce((sum, job) => sum + (job.progress?.value ?? 0), 0);
  // Whole percents: all a taskbar or a title shows, and progress events then repeat a value
  // often enough that an unchanged one need not be sent on.
  return { fraction: Math.floor((total / running.length) * 100) / 100, mode, running: running.length };
}

export function titleFor(progress: TaskbarProgress): string {
  if (progress.fraction === undefined) return appTitle;
  const percent = Math.floor(progress.fraction * 100);
  const what = progress.running === 1 ? '1 clone' : `${progress.running} clones`;
  return `${percent}% · ${what} · ${appTitle}`;
}

/**
 * Named as its card is, by repository (two clones of `monorepo` from different projects differ),
 * with the folder's name when it is not the repository's own (two clones of one repository differ).
 */
function noticeName(job: CloneJob): string {
  const repository = jobTitle(job, 1).repository;
  const folder = job.destination?.split(/[\\/]/).filter(Boolean).pop();
  const slug = repository.split('/').pop();
  return folder && folder !== slug ? `${repository} (${folder})` : repository;
}

/** A notice for a clone that just ended, or none (a cancel was the user's own doing). */
export function completionNotice(job: CloneJob): DesktopNotification | undefined {
  const name = noticeName(job);
  if (job.state === 'done') {
    const from = job.source ? ` from ${job.source.name}` : '';
    return { title: `Cloned ${name}`.slice(0, 120), body: `Into ${job.destination ?? name}${from}.`.slice(0, 400) };
  }
  if (job.state === 'failed') {
    return { title: `Clone of ${name} failed`.slice(0, 120), body: (job.error?.message ?? 'The clone stopped.').slice(0, 400) };
  }
  return undefined;
}
