/**
 * Many repositories cloned in one step, as one card: how many are there of how many, the bytes,
 * rate and time left of the whole, and how many run at once (and why). Failures are listed with
 * their hints, always in sight, and "Retry failed" starts a new batch of just those. The card
 * expands to the repositories' own clone cards, which the clone-jobs slice keeps as it does for
 * any clone (Cancel, Retry and Open each work there as on a single clone).
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { BatchItem, CloneBatch } from '../../../shared/contract';
import { formatRate, formatRemaining, formatRepositoryCount, estimatingLabel } from '../../../shared/format';
import { formatBytes, formatDuration } from '../format';
import { batchFinished, clonedSince, unfinishedItems } from '../state/clone-batches-slice';
import { batchFraction, currentJob } from '../state/batch-progress';
import { useCloneBatches, useCloneJobs } from '../state/stores';
import { CloneJobCard } from './CloneJobCard';
import { ErrorMessage } from './ErrorMessage';


function stateOf(batch: CloneBatch): { label: string; pill: string } {
  if (batch.state === 'running') return { label: 'Cloning', pill: 'accent' };
  if (batch.state === 'cancelled') return { label: 'Cancelled', pill: 'muted' };
  if (batch.totals.failed > 0) return { label: `${batch.totals.failed} failed`, pill: 'bad' };
  return { label: 'Done', pill: 'ok' };
}

/** The figures line: bytes, rate and time left while running; what was transferred and how long at the end. */
function figures(batch: CloneBatch): string[] {
  const { totals } = batch;
  const parts = [formatBytes(totals.receivedBytes)];
  if (batch.state === 'running') {
    if (totals.bytesPerSecond !== null) parts.push(formatRate(totals.bytesPerSecond));
    parts.push(totals.etaSeconds === null ? `time left ${estimatingLabel}` : formatRemaining(totals.etaSeconds));
  } else if (batch.finishedAt) {
    parts.push(`in ${formatDuration((Date.parse(batch.finishedAt) - Date.parse(batch.startedAt)) / 1000)}`);
  }
  if (totals.alreadyThere > 0) parts.push(`${totals.alreadyThere} already there`);
  return parts;
}

/** A repository with no clone card of its own: waiting its turn, already there, or stopped before it began. */
function ItemLine({ item }: { item: BatchItem }) {
  const what = item.alreadyThere ? 'Already there, left alone' : item.state === 'waiting' ? 'Waiting its turn' : item.state === 'cancelled' ? 'Not started' : item.state === 'done' ? 'Cloned' : item.error?.message ?? item.state;
  return (
    <li className="batch__item" data-testid="batch-item" data-repository={item.repository} data-state={item.state}>
      <span className="job__name">{item.repository}</span>
      <span className="muted">{what}</span>
      <span className="batch__item-path muted">{item.path}</span>
    </li>
  );
}

export function CloneBatchCard({ batch }: { batch: CloneBatch }) {
  const jobs = useCloneJobs((state) => state.jobs);
  const dismissJob = useCloneJobs((state) => state.dismiss);
  const cancel = useCloneBatches((state) => state.cancel);
  const retryFailed = useCloneBatches((state) => state.retryFailed);
  const dismiss = useCloneBatches((state) => state.dismiss);
  const cancelling = useCloneBatches((state) => state.cancelling[batch.batchId] ?? false);
  const retriedAs = useCloneBatches((state) => state.retriedAs[batch.batchId]);
  const allBatches = useCloneBatches((state) => state.batches);
  const retryError = useCloneBatches((state) => state.retryErrors[batch.batchId]);
  const [expanded, setExpanded] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const id = useId();
  const { totals } = batch;
  const finished = batchFinished(batch);
  const state = stateOf(batch);
  const fraction = batchFraction(batch, jobs);
  const percent = Math.floor(fraction * 100);
  const failures = batch.items.filter((item) => item.state === 'failed');
  const since = clonedSince(batch, allBatches);
  const toRetry = unfinishedItems(batch, allBatches);
  const canRetry = finished && toRetry.length > 0 && !retriedAs;
  const card = useRef<HTMLLIElement>(null);
  const failuresList = useRef<HTMLDivElement>(null);
  const wasRunning = useRef(!finished);
  // A batch watched to its end with failures: the list of them grows below the bar, out of the
  // window when the card sat at its bottom. Brought into view then, and only if the card was on
  // screen (someone reading elsewhere is not moved).
  useEffect(() => {
    if (!finished || !wasRunning.current) return;
    wasRunning.current = false;
    const box = card.current?.getBoundingClientRect();
    if (failures.length > 0 && box && box.top < window.innerHeight && box.bottom > 0) failuresList.current?.scrollIntoView({ block: 'nearest' });
  }, [finished, failures.length]);

  const retry = async () => {
    setRetrying(true);
    await retryFailed(batch.batchId);
    setRetrying(false);
  };
  const remove = () => {
    for (const item of batch.items) if (item.jobId) dismissJob(item.jobId);
    dismiss(batch.batchId);
  };

  return (
    <li
      className={`job batch batch--${finished ? (totals.failed > 0 ? 'failed' : batch.state) : 'running'}`}
      data-testid="clone-batch"
      data-batch-id={batch.batchId}
      data-state={batch.state}
      data-done={totals.done}
      data-total={totals.repositories}
      data-failed={totals.failed}
      aria-labelledby={`${id}-title`}
      ref={card}
    >
      <div className="job__head">
        <span className="job__title">
          <span id={`${id}-title`} className="batch__title">{batch.items.length === 1 ? batch.items[0]!.repository : formatRepositoryCount(totals.repositories)}</span>
          <span className="muted"> into {batch.parentDirectory}{batch.layout === 'by-project' ? ', a folder per project' : ''}</span>
        </span>
        <span className={`pill pill--${state.pill}`} data-testid="batch-state">{state.label}</span>
        <span className="job__actions">
          {!finished && (
            <button type="button" className="button button--small" onClick={() => void cancel(batch.batchId)} disabled={cancelling}>
              {cancelling ? 'Cancelling…' : 'Cancel all'}
            </button>
          )}
          {canRetry && (
            <button type="button" className="button button--small button--primary" onClick={() => void retry()} disabled={retrying} data-testid="batch-retry">
              {retrying ? 'Starting…' : toRetry.length === failures.length ? 'Retry failed' : `Retry ${toRetry.length} not cloned`}
            </button>
          )}
          {finished && (
            <button type="button" className="button button--small button--quiet" onClick={remove} aria-label={`Dismiss the batch of ${formatRepositoryCount(totals.repositories)}`}>Dismiss</button>
          )}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-labelledby={`${id}-title`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="batch-progress">
        <div className="progress__fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="job__details muted">
        <span className="batch__count" data-testid="batch-count">{totals.done} of {totals.repositories} there</span>
        {figures(batch).map((text) => <span key={text} data-testid="batch-figure">{text}</span>)}
        {batch.concurrency !== null && !finished && (
          <span title={batch.concurrencyReason} data-testid="batch-concurrency">
            {batch.concurrency} at once{batch.concurrency === 1 && !batch.concurrencyReason.startsWith('1 ') ? ', measuring the link first' : ''}
          </span>
        )}
      </div>
      {failures.length > 0 && (
        <div className="batch__failures" data-testid="batch-failures" ref={failuresList}>
          <p className="batch__failures-title">{failures.length === 1 ? '1 repository failed' : `${failures.length} repositories failed`}{retriedAs ? ', retried in the batch above' : failures.every((item) => since.has(item.path)) ? ', all cloned since' : ''}:</p>
          <ul>
            {failures.map((item) => (
              <li key={item.repository} data-testid="batch-failure" data-repository={item.repository}>
                <span className="job__name">{item.repository}</span> <span>{item.error?.message ?? 'The clone failed.'}</span>
                {item.error?.hint && <span className="batch__hint muted"> {item.error.hint}</span>}
                {since.has(item.path) && <span className="batch__since"> Cloned since.</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {retryError && <ErrorMessage error={retryError} title="Could not retry the failed repositories." testId="batch-retry-error" />}
      <button type="button" className="link-button batch__toggle" aria-expanded={expanded} aria-controls={`${id}-items`} onClick={() => setExpanded(!expanded)} data-testid="batch-toggle">
        {expanded ? (totals.repositories === 1 ? 'Hide its clone' : 'Hide the repositories') : totals.repositories === 1 ? 'Show its clone' : `Show the ${formatRepositoryCount(totals.repositories)}`}
      </button>
      {expanded && batch.concurrency !== null && <p className="batch__why muted" data-testid="batch-why">{batch.concurrencyReason.replace(/\.?$/, '.')}</p>}
      {expanded && (
        <ul id={`${id}-items`} className="jobs__list batch__items" data-testid="batch-items">
          {batch.items.map((item) => {
            const job = currentJob(item.jobId, jobs);
            return job ? <CloneJobCard key={item.repository} job={job} /> : <ItemLine key={item.repository} item={item} />;
          })}
        </ul>
      )}
    </li>
  );
}
