/**
 * One clone, titled by its repository with its folder below: its progress (CloneProgress.tsx) and
 * source; Cancel while running; the why and Retry when it failed (no Retry once a clone has
 * finished in its folder: it could only fail); Open and "Show in Local clones" when done.
 */
import type { CloneJob } from '../../../shared/contract';
import { useCloneJobs, useClones, useNavigation, usePrimaries } from '../state/stores';
import { formatDuration, formatMs } from '../format';
import { CloneProgress } from './CloneProgress';
import { ErrorMessage } from './ErrorMessage';
import { HostKeyPrompt, unknownHostKeys } from './HostKeyPrompt';
import { jobFolder, jobTitle } from '../state/job-title';
import { OpenActions, OpenOutcome } from './OpenActions';
import { LargeFilesNote } from './LargeFilesNote';

/** Whether a finished clone is now in this job's folder (this one's, another job's, or one listed in Local clones). */
function useClonedThere(job: CloneJob): boolean {
  const folder = job.destination;
  const listed = useClones((state) => folder !== undefined && (state.list?.some((clone) => clone.path === folder) ?? false));
  const doneByAnother = useCloneJobs((state) => folder !== undefined && Object.values(state.jobs).some((other) => other.jobId !== job.jobId && other.state === 'done' && other.result?.path === folder));
  return listed || doneByAnother;
}

/** Local clones, with this clone's card brought into view and focused. */
function useShowInLocalClones(): (path: string) => void {
  const highlight = useClones((state) => state.highlight);
  const show = useNavigation((state) => state.show);
  return (path) => {
    highlight(path);
    show('clones');
  };
}

const stateLabels: Record<CloneJob['state'], string> = {
  discovering: 'Finding the closest server',
  cloning: 'Cloning',
  finishing: 'Finishing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function CloneJobCard({ job }: { job: CloneJob }) {
  const cancel = useCloneJobs((state) => state.cancel);
  const retry = useCloneJobs((state) => state.retry);
  const dismiss = useCloneJobs((state) => state.dismiss);
  const cancelling = useCloneJobs((state) => state.cancelling[job.jobId] ?? false);
  const running = job.state === 'discovering' || job.state === 'cloning' || job.state === 'finishing';
  const primaries = usePrimaries((state) => state.list?.length ?? 0);
  const retryError = useCloneJobs((state) => state.retryErrors[job.jobId]);
  const clonedThere = useClonedThere(job);
  const showInLocalClones = useShowInLocalClones();
  const title = jobTitle(job, primaries);
  const name = title.host ? `${title.repository} on ${title.host}` : title.repository;
  const folder = jobFolder(job);
  const clonePath = job.state === 'done' ? job.result?.path : undefined;
  const canRetry = job.state === 'failed' && !clonedThere;

  return (
    <li className={`job job--${job.state}`} data-testid="clone-job" data-state={job.state} data-job-id={job.jobId}>
      <div className="job__head">
        <span className="job__title">
          <span className="job__name" data-testid="job-title">{title.repository}</span>
          {title.host && <span className="job__host muted" data-testid="job-host"> on {title.host}</span>}
        </span>
        <span className={`pill pill--${job.state === 'done' ? 'ok' : job.state === 'failed' ? 'bad' : job.state === 'cancelled' ? 'muted' : 'accent'}`} data-testid="job-state">
          {stateLabels[job.state]}
        </span>
        <span className="job__source muted" data-testid="job-source">
          {job.source ? (job.source.kind === 'primary' ? 'from the primary' : `from ${job.source.name} (mirror)`) : ''}
        </span>
        <span className="job__actions">
          {running && (
            <button type="button" className="button button--small" onClick={() => void cancel(job.jobId)} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
          {canRetry && (
            <button type="button" className="button button--small button--primary" onClick={() => void retry(job.jobId)}>Retry</button>
          )}
          {(clonePath ?? (clonedThere ? job.destination : undefined)) && (
            <button type="button" className="button button--small" onClick={() => showInLocalClones((clonePath ?? job.destination)!)}>
              Show in Local clones
            </button>
          )}
          {!running && (
            <button type="button" className="button button--small button--quiet" onClick={() => dismiss(job.jobId)} aria-label={`Dismiss ${name}`}>Dismiss</button>
          )}
        </span>
        {folder && <code className="job__folder muted" data-testid="job-folder">{folder}</code>}
      </div>
      <CloneProgress job={job} name={name} />
      {job.resumes !== undefined && job.resumes > 0 && job.state !== 'failed' && (
        <p className="job__result muted" data-testid="job-resumed">Started again from the beginning: the helper stopped while this clone was running.</p>
      )}
      {job.state === 'done' && job.result && (
        <p className="job__result" data-testid="job-result">
          Cloned in {formatDuration(job.result.durationMs / 1000)} from {job.result.source.name}. <span className="muted">{job.result.reason}</span>
          {job.result.toppedUpFromPrimary.length > 0 && ` Topped up from the primary: ${job.result.toppedUpFromPrimary.join(', ')}.`}
        </p>
      )}
      {job.state === 'done' && job.result?.largeFiles && <LargeFilesNote largeFiles={job.result.largeFiles} />}
      {clonePath && (
        <div className="job__open">
          <OpenActions path={clonePath} name={name} />
          <OpenOutcome path={clonePath} />
        </div>
      )}
      {job.state === 'cancelled' && <p className="job__result muted">Cancelled; the partial clone was removed.</p>}
      {job.state === 'failed' && job.error && <ErrorMessage error={job.error} testId="job-error" />}
      {job.state !== 'done' && clonedThere && (
        <p className="job__result muted" data-testid="job-superseded">A clone has finished in this folder since, so this one is not retried.</p>
      )}
      {retryError && <ErrorMessage error={retryError} title="Not retried." testId="job-retry-error" />}
      {job.state === 'failed' && unknownHostKeys(job) && <HostKeyPrompt job={job} />}
      {job.state === 'failed' && job.attempts.length > 0 && (
        <details className="job__attempts" open>
          <summary>Attempts ({job.attempts.length})</summary>
          <ol>
            {job.attempts.map((attempt, index) => (
              <li key={index} className={attempt.ok ? 'ok-text' : undefined}>
                {attempt.source.name} ({attempt.source.kind}), try {attempt.attempt}: {attempt.ok ? 'succeeded' : attempt.error ?? 'failed'} · {formatMs(attempt.durationMs)}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}
