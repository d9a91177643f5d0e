/** Local clones: where each fetches from and pushes to, and moving it to the mirror closest now. */
import type { KnownClone } from '../../../shared/contract';
import { useClones } from '../state/stores';
import { EmptyState } from './EmptyState';
import { ErrorMessage } from './ErrorMessage';

function CloneCard({ clone }: { clone: KnownClone }) {
  const switchState = useClones((state) => state.switches[clone.path]);
  const switchToClosest = useClones((state) => state.switchToClosest);
  const pending = switchState?.state === 'pending';
  return (
    <li className="local-clone" data-testid="local-clone" data-path={clone.path}>
      <div className="local-clone__head">
        <span className="local-clone__repo">{clone.projectKey}/{clone.slug}</span>
        <code className="local-clone__path">{clone.path}</code>
        {/* aria-disabled, not disabled: a disabled button would drop keyboard focus while it measures. */}
        <button type="button" className="button button--small" onClick={() => !pending && void switchToClosest(clone.path)} aria-disabled={pending}>
          {pending ? 'Measuring…' : 'Switch to closest'}
        </button>
      </div>
      <dl className="local-clone__facts">
        <div><dt>Primary</dt><dd>{clone.primaryBaseUrl}</dd></div>
        <div><dt>Current mirror</dt><dd data-testid="clone-source">{clone.source.name}</dd></div>
        <div><dt>Fetch</dt><dd><code data-testid="fetch-url">{clone.fetchUrl}</code></dd></div>
        <div><dt>Push</dt><dd><code data-testid="push-url">{clone.pushUrl}</code></dd></div>
      </dl>
      {/* Reserved line: the switch's outcome appears without moving the next card. */}
      <div className="local-clone__result" aria-live="polite" data-testid="switch-result">
        {switchState?.state === 'done' && (
          <span className={switchState.result.changed ? 'ok-text' : 'muted'}>
            {switchState.result.changed ? `Switched from ${switchState.result.from.name} to ${switchState.result.to.name}. ` : `Already on the closest: ${switchState.result.to.name}. `}
            {switchState.result.reason}
          </span>
        )}
        {switchState?.state === 'error' && <ErrorMessage error={switchState.error} title="Could not switch." />}
      </div>
    </li>
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
    <section className="content__section" aria-labelledby="clones-title" aria-busy={!list}>
      <h1 id="clones-title" className="content__title">Local clones</h1>
      {!list ? <p className="muted">Loading…</p> : (
        <ul className="local-clones" data-testid="local-clones">
          {list.map((clone) => <CloneCard key={clone.path} clone={clone} />)}
        </ul>
      )}
    </section>
  );
}
