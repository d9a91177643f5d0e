/** One clone: its progress (CloneProgress.tsx) and source; Cancel while running; the why and Retry when it failed. */
import type { CloneJob } from '../../../shared/contract';
import { useCloneJobs } from '../state/stores';
import { formatMs } from '../format';
import { CloneProgress } from './CloneProgress';
import { ErrorMessage } from './ErrorMessage';
import { HostKeyPrompt, unknownHostKeys } from './HostKeyPrompt';
import { shortName } from '../desktop/clone-activity';

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
  const folderName = useCloneJobs((state) => state.params[job.jobId]?.folderName);
  const name = job.destination ? shortName(job) : (folderName ?? shortName(job));

  return (
    <li className={`job job--${job.state}`} data-testid="clone-job" data-state={job.state} data-job-id={job.jobId}>
      <div className="job__head">
        <span className="job__name">{name}</span>
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
          {job.state === 'failed' && (
            <button type="button" className="button button--small button--primary" onClick={() => void retry(job.jobId)}>Retry</button>
          )}
          {!running && (
            <button type="button" className="button button--small button--quiet" onClick={() => dismiss(job.jobId)} aria-label={`Dismiss ${name}`}>Dismiss</button>
          )}
        </span>
      </div>
      <CloneProgress job={job} name={name} />
      {job.resumes !== undefined && job.resumes > 0 && job.state !== 'failed' && (
        <p className="job__result muted" data-testid="job-resumed">Started again from the beginning: the helper stopped while this clone was running.</p>
      )}
      {job.state === 'done' && job.result && (
        <p className="job__result" data-testid="job-result">
          Cloned in {formatMs(job.result.durationMs)} from {job.result.source.name}. <span className="muted">{job.result.reason}</span>
          {job.result.toppedUpFromPrimary.length > 0 && ` Topped up from the primary: ${job.result.toppedUpFromPrimary.join(', ')}.`}
        </p>
      )}
      {job.state === 'cancelled' && <p className="job__result muted">Cancelled; the partial clone was removed.</p>}
      {job.state === 'failed' && job.error && <ErrorMessage error={job.error} testId="job-error" />}
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
