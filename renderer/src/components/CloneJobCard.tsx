/**
 * One clone, titled by its repository with its folder below: its progress (CloneProgress.tsx) and
 * source; Cancel while running; the why and Retry when it failed (no Retry once a clone has
 * finished in its folder: it could only fail); Open and "Show in Local clones" when done.
 *
 * A clone made in steps is ready to work before it is done: from that moment the card offers Open
 * while the history arrives ("Ready to work, history 40%"), and Cancel becomes "Stop history",
 * which leaves a working shallow clone; "Finish history" then continues it.
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
  // A clone listed while its history is still pending is this kind of job's own, not a finished one.
  const listed = useClones((state) => folder !== undefined && (state.list?.some((clone) => clone.path === folder && !clone.historyPending) ?? false));
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
  const readyPath = job.ready?.path;
  const clonePath = job.state === 'done' ? job.result?.path : readyPath;
  // Stopped after it was ready: its folder holds a shallow clone that can be finished.
  const unfinished = readyPath !== undefined && (job.state === 'failed' || job.state === 'cancelled') && !clonedThere;
  const canRetry = job.state === 'failed' && !clonedThere && !unfinished;
  const pill = running && readyPath ? 'Ready to work' : unfinished ? 'History incomplete' : stateLabels[job.state];
  const tone = job.state === 'done' || (running && readyPath) ? 'ok' : unfinished ? 'muted' : job.state === 'failed' ? 'bad' : job.state === 'cancelled' ? 'muted' : 'accent';

  return (
    <li className={`job job--${job.state}`} data-testid="clone-job" data-state={job.state} data-job-id={job.jobId}>
      <div className="job__head">
        <span className="job__title">
          <span className="job__name" data-testid="job-title">{title.repository}</span>
          {title.host && <span className="job__host muted" data-testid="job-host"> on {title.host}</span>}
        </span>
        <span className={`pill pill--${tone}`} data-testid="job-state" data-ready={readyPath ? 'true' : undefined}>
          {pill}
        </span>
        <span className="job__source muted" data-testid="job-source">
          {job.source ? (job.source.kind === 'primary' ? 'from the primary' : `from ${job.source.name} (mirror)`) : ''}
        </span>
        <span className="job__actions">
          {running && (
            <button type="button" className="button button--small" onClick={() => void cancel(job.jobId)} disabled={cancelling} title={readyPath ? 'Stops fetching the history; the clone stays, ready to work, and can be finished later.' : undefined}>
              {cancelling ? (readyPath ? 'Stopping…' : 'Cancelling…') : readyPath ? 'Stop history' : 'Cancel'}
            </button>
          )}
          {canRetry && (
            <button type="button" className="button button--small button--primary" onClick={() => void retry(job.jobId)}>Retry</button>
          )}
          {unfinished && (
            <button type="button" className="button button--small button--primary" onClick={() => void retry(job.jobId)} data-testid="finish-history">Finish history</button>
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
      {running && readyPath && (
        <p className="job__result muted" data-testid="job-ready">
          The newest files are checked out in its folder: open it and work. The history arrives in the background and never touches your files.
        </p>
      )}
      {job.state === 'cancelled' && !unfinished && <p className="job__result muted">Cancelled; the partial clone was removed.</p>}
      {unfinished && (
        <p className="job__result muted" data-testid="job-unfinished">
          Ready to work with part of its history (a shallow clone): commits older than those fetched are not there yet. Finish history continues from where it stopped.
        </p>
      )}
      {job.resumes !== undefined && job.resumes > 0 && job.state !== 'failed' && (
        <p className="job__result muted" data-testid="job-resumed">
          {readyPath ? 'Continued from where it stopped: the helper stopped while its history was arriving.' : 'Started again from the beginning: the helper stopped while this clone was running.'}
        </p>
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
