/**
 * Step 5: what is where. While the batch runs, its card (the same one Repositories shows); once
 * it has ended, one line per repository: the folder it is in, the server it came from, or why it
 * is not there with the hint, with Retry for the failures and Open for the rest. A retry's
 * outcome replaces the failure it retried.
 */
import type { BatchItem, CloneBatch } from '../../../shared/contract';
import { formatRepositoryCount } from '../../../shared/format';
import { batchFinished, unfinishedItems } from '../state/clone-batches-slice';
import { useCloneBatches, useNavigation, useSetup } from '../state/stores';
import { CloneBatchCard } from './CloneBatchCard';
import { ErrorMessage } from './ErrorMessage';
import { OpenActions, OpenOutcome } from './OpenActions';
import { SetupNav } from './SetupNav';

/** Each repository as its latest batch left it (a retry comes after the batch it retried). */
function latestItems(batches: CloneBatch[]): BatchItem[] {
  const byRepository = new Map<string, BatchItem>();
  for (const batch of batches) for (const item of batch.items) byRepository.set(item.repository, item);
  return [...byRepository.values()];
}

function sourceWords(item: BatchItem): string {
  if (item.alreadyThere) return 'already there, left alone';
  if (!item.source) return '';
  return item.source.kind === 'primary' ? `from the primary, ${item.source.name}` : `from the mirror ${item.source.name}`;
}

function SummaryLine({ item }: { item: BatchItem }) {
  const name = item.repository.split('/').at(-1) ?? item.repository;
  const there = item.state === 'done';
  return (
    <li className={`setup__result setup__result--${there ? 'ok' : 'bad'}`} data-testid="setup-result" data-repository={item.repository} data-state={item.state}>
      <div className="setup__result-head">
        <span className="setup__result-mark" aria-hidden="true">{there ? '✓' : '✗'}</span>
        <span className="job__name">{item.repository}</span>
        <span className="muted" data-testid="setup-result-source">{there ? sourceWords(item) : item.state === 'cancelled' ? 'not cloned (cancelled)' : 'failed'}</span>
      </div>
      {there ? (
        <>
          <code className="setup__result-path" data-testid="setup-result-path">{item.path}</code>
          <OpenActions path={item.path} name={name} />
          <OpenOutcome path={item.path} />
        </>
      ) : (
        item.error && <ErrorMessage error={item.error} testId="setup-result-error" />
      )}
    </li>
  );
}

export function SetupSummaryStep() {
  const batchIds = useSetup((state) => state.batchIds);
  const retryFailed = useSetup((state) => state.retryFailed);
  const restart = useSetup((state) => state.restart);
  const all = useCloneBatches((state) => state.batches);
  const retryError = useCloneBatches((state) => (batchIds.length > 0 ? state.retryErrors[batchIds.at(-1)!] : undefined));
  const showSection = useNavigation((state) => state.show);
  const batches = batchIds.flatMap((batchId) => (all[batchId] ? [all[batchId]] : []));
  const last = batches.at(-1);

  if (!last) {
    return (
      <div className="setup__body">
        <p className="muted">{batchIds.length === 0 ? 'Nothing has been cloned on this path yet.' : 'Waiting for the batch to report…'}</p>
        <SetupNav back="go" />
      </div>
    );
  }

  const items = latestItems(batches);
  const there = items.filter((item) => item.state === 'done').length;
  const toRetry = batchFinished(last) ? unfinishedItems(last, all) : [];

  return (
    <div className="setup__body">
      {!batchFinished(last) ? (
        <ul className="jobs__list setup__running" aria-label="Cloning">
          <CloneBatchCard batch={last} />
        </ul>
      ) : (
        <div className="setup__summary" data-testid="setup-summary">
          <p className={there === items.length ? 'ok-text setup__summary-title' : 'warn-text setup__summary-title'} data-testid="setup-summary-title">
            {there === items.length
              ? items.length === 1
                ? `${items[0]!.repository} is there.`
                : `All ${items.length} repositories are there.`
              : items.length === 1
                ? `${items[0]!.repository} is not there.`
                : `${there} of ${formatRepositoryCount(items.length)} ${there === 1 ? 'is' : 'are'} there; ${items.length - there} not.`}
          </p>
          <p className="muted setup__summary-how" data-testid="setup-summary-how">
            Over {last.protocol === 'ssh' ? 'SSH' : 'HTTPS'}, into {last.parentDirectory}{last.layout === 'by-project' ? ', a folder per project' : ''}. Pushes go to the primary.
          </p>
          <ul className="setup__results">
            {/* The ones needing attention first: a failure is never below the fold of a long list. */}
            {[...items.filter((item) => item.state !== 'done'), ...items.filter((item) => item.state === 'done')].map((item) => (
              <SummaryLine key={item.repository} item={item} />
            ))}
          </ul>
          {retryError && <ErrorMessage error={retryError} title="Could not retry." testId="setup-retry-error" />}
        </div>
      )}
      <SetupNav back="go">
        {toRetry.length > 0 && (
          <button type="button" className="button button--primary" onClick={() => void retryFailed()} data-testid="setup-retry">
            Retry {toRetry.length === 1 ? 'the failed one' : `the ${toRetry.length} failed`}
          </button>
        )}
        <span className="setup__nav-why" />
        <button type="button" className="button" onClick={restart}>Set up more</button>
        <button type="button" className="button" onClick={() => showSection('clones')}>Local clones</button>
      </SetupNav>
    </div>
  );
}
