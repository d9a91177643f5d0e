/** Local clones: where each fetches from and pushes to, moving one or all to the mirror closest now. */
import { useClones, useNetwork } from '../state/stores';
import type { SwitchAllRun } from '../state/clones-slice';
import { EmptyState } from './EmptyState';
import { ErrorMessage } from './ErrorMessage';
import { LocalCloneCard } from './LocalCloneCard';

export function switchAllSummaryText(run: SwitchAllRun): string {
  const { switched, alreadyClosest, failed, cancelled } = run.summary;
  const parts = [`${switched} switched`, `${alreadyClosest} already closest`, `${failed} failed`];
  if (cancelled > 0) parts.push(`${cancelled} cancelled`);
  const done = switched + alreadyClosest + failed + cancelled;
  return run.running ? `Switching ${done + 1} of ${run.total}… ${parts.join(', ')} so far.` : `${parts.join(', ')}.`;
}

function SwitchAllBar() {
  const run = useClones((state) => state.switchAll);
  const switchAll = useClones((state) => state.switchAllToClosest);
  const cancel = useClones((state) => state.cancelSwitchAll);
  const movedAt = useNetwork((state) => state.movedAt);
  const acknowledgeMove = useNetwork((state) => state.acknowledge);
  return (
    <div className="clones-toolbar">
      {movedAt ? (
        // The same place as the usual line, so nothing moves when the helper notices a move.
        <p className="clones-toolbar__text clones-toolbar__moved" data-testid="network-moved">
          <strong>You are on another network since {new Date(movedAt).toLocaleTimeString()}.</strong> Other mirrors may be closer now. Warm
          clones are switched on their own; switch the others here.
        </p>
      ) : (
        <p className="clones-toolbar__text muted">Measures from where you are now and moves each clone to the closest server. Pushes stay on the primary.</p>
      )}
      {run?.running ? (
        <button type="button" className="button" onClick={cancel}>
          Cancel switching
        </button>
      ) : (
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            acknowledgeMove();
            void switchAll();
          }}
        >
          Switch all to closest
        </button>
      )}
      {movedAt && !run?.running && (
        <button type="button" className="button button--quiet" onClick={acknowledgeMove}>
          Not now
        </button>
      )}
      {/* Reserved line, polite: the summary counts up while clones are switched one by one. */}
      <p className="clones-toolbar__summary" aria-live="polite" data-testid="switch-all-summary">
        {run && (
          <>
            {run.running && (
              <>
                <span className="spinner" aria-hidden="true" />{' '}
              </>
            )}
            {switchAllSummaryText(run)}
          </>
        )}
      </p>
    </div>
  );
}

export function LocalClonesSection() {
  const list = useClones((state) => state.list);
  const loadError = useClones((state) => state.loadError);
  if (loadError && !list) {
    return (
      <section className="content__section">
        <h1 className="content__title">Local clones</h1>
        <ErrorMessage error={loadError} title="Could not read the list of clones." />
      </section>
    );
  }
  if (list && list.length === 0) {
    return (
      <EmptyState title="No local clones yet">
        <p>Repositories you clone appear here, with the mirror each one fetches from and the primary it pushes to.</p>
      </EmptyState>
    );
  }
  return (
    <section className="content__section local-clones-section" aria-labelledby="clones-title" aria-busy={!list}>
      <h1 id="clones-title" className="content__title">Local clones</h1>
      {!list ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <SwitchAllBar />
          <ul className="local-clones" data-testid="local-clones">
            {list.map((clone) => <LocalCloneCard key={clone.path} clone={clone} />)}
          </ul>
        </>
      )}
    </section>
  );
}
