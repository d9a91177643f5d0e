/**
 * One local clone: where it fetches from (a mirror, or the primary itself) and pushes to,
 * switching it, keeping it warm, opening it. "Show in Local clones" elsewhere brings its card
 * into view and focuses it.
 */
import { useEffect, useRef, useState } from 'react';
import { primaryCandidateId, type KnownClone } from '../../../shared/contract';
import { useClones } from '../state/stores';
import type { SwitchState } from '../state/clones-slice';
import { ErrorMessage } from './ErrorMessage';
import { OpenActions, OpenOutcome } from './OpenActions';
import { formatWhen } from '../relative-time';

function SwitchOutcome({ state }: { state: SwitchState | undefined }) {
  if (!state) return null;
  switch (state.state) {
    case 'queued':
      return <span className="muted">Waiting for its turn…</span>;
    case 'pending':
      return null; // the button says "Measuring…"
    case 'cancelled':
      return <span className="muted">Not switched: cancelled.</span>;
    case 'error':
      return <ErrorMessage error={state.error} title="Could not switch." />;
    case 'done':
      return (
        <span className={state.result.changed ? 'ok-text' : 'muted'}>
          {state.automatic && 'After the move to another network: '}
          {state.result.changed ? `Switched from ${state.result.from.name} to ${state.result.to.name}. ` : `Already on the closest: ${state.result.to.name}. `}
          {state.result.reason}
          {state.result.largeFiles?.warning && (
            <span className="warn-text" role="status" data-testid="switch-large-files-warning">
              {' '}
              {state.result.largeFiles.warning}
            </span>
          )}
        </span>
      );
  }
}

/** The choice's reason without the server's name it starts with (shown just before it), as a sentence. */
function reasonSentence(clone: KnownClone): string {
  if (!clone.reason) return '';
  const prefix = `${clone.source.name}: `;
  const text = clone.reason.startsWith(prefix) ? clone.reason.slice(prefix.length) : clone.reason;
  return ` ${text.charAt(0).toUpperCase()}${text.slice(1).replace(/\.?$/, '.')}`;
}

/** Which server it fetches from, said plainly: a mirror by name, or the primary itself (and why, when known). */
function FetchesFrom({ clone }: { clone: KnownClone }) {
  const onPrimary = clone.source.id === primaryCandidateId;
  const reason = reasonSentence(clone);
  return (
    <>
      {onPrimary ? (
        <span data-testid="clone-source">the primary itself</span>
      ) : (
        <>
          <span data-testid="clone-source">{clone.source.name}</span> <span className="muted">(mirror)</span>
        </>
      )}
      <span className="local-clone__why muted" data-testid="clone-source-why">
        {onPrimary ? `No mirror: it fetches straight from the primary.${reason}` : reason.trim()}
      </span>
    </>
  );
}

/** Brought into view and focused once when "Show in Local clones" asked for it, marked for a moment. */
function useHighlight(path: string) {
  const ref = useRef<HTMLLIElement>(null);
  const wanted = useClones((state) => state.highlighted === path);
  const highlight = useClones((state) => state.highlight);
  const [marked, setMarked] = useState(false);
  useEffect(() => {
    if (!wanted || !ref.current) return;
    ref.current.scrollIntoView({ block: 'center' });
    ref.current.focus({ preventScroll: true });
    highlight(undefined);
    setMarked(true);
  }, [wanted, highlight]);
  useEffect(() => {
    if (!marked) return;
    const timer = window.setTimeout(() => setMarked(false), 4000);
    return () => window.clearTimeout(timer);
  }, [marked]);
  return { ref, marked };
}

function WarmToggle({ clone }: { clone: KnownClone }) {
  const warmState = useClones((state) => state.warm[clone.path]);
  const setWarm = useClones((state) => state.setWarm);
  const id = `warm-${clone.path}`;
  const helpId = `${id}-help`;
  return (
    <div className="clone-warm">
      <label className="clone-warm__label" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={clone.warm ?? false}
          aria-describedby={helpId}
          aria-busy={warmState?.pending}
          onChange={(event) => !warmState?.pending && void setWarm(clone.path, event.target.checked)}
          data-testid="warm-toggle"
        />
        Keep warm
      </label>
      <span id={helpId} className="clone-warm__help muted">
        A background fetch keeps origin/* fresh; your working tree and branch are never touched.
        {clone.warm && clone.lastWarmAt && ` Last fetched ${formatWhen(Date.parse(clone.lastWarmAt))}.`}
      </span>
      {clone.warm && clone.lastWarmError && <span className="warn-text clone-warm__error">Last background fetch failed: {clone.lastWarmError}</span>}
      {warmState?.error && <ErrorMessage error={warmState.error} title="Could not change it." />}
    </div>
  );
}

export function LocalCloneCard({ clone }: { clone: KnownClone }) {
  const switchState = useClones((state) => state.switches[clone.path]);
  const switchToClosest = useClones((state) => state.switchToClosest);
  const { ref, marked } = useHighlight(clone.path);
  const busy = switchState?.state === 'pending' || switchState?.state === 'queued';
  const name = `${clone.projectKey}/${clone.slug}`;
  return (
    <li
      className={`local-clone${marked ? ' local-clone--highlighted' : ''}`}
      data-testid="local-clone"
      data-path={clone.path}
      data-switch-state={switchState?.state ?? 'idle'}
      data-highlighted={marked || undefined}
      ref={ref}
      tabIndex={-1}
    >
      <div className="local-clone__head">
        <span className="local-clone__repo">{name}</span>
        <code className="local-clone__path">{clone.path}</code>
        {clone.historyPending ? (
          // Its history is still arriving (or was stopped): moving it now would fight its own steps.
          <span className="badge badge--warn" data-testid="history-pending" title="Ready to work; older history is still to come. Finish it from its clone card, or run the same clone again.">
            History incomplete
          </span>
        ) : (
          // aria-disabled, not disabled: a disabled button would drop keyboard focus while it measures.
          <button type="button" className="button button--small" onClick={() => !busy && void switchToClosest(clone.path)} aria-disabled={busy}>
            {switchState?.state === 'pending' ? 'Measuring…' : 'Switch to closest'}
          </button>
        )}
      </div>
      <dl className="local-clone__facts">
        <div><dt>Primary</dt><dd>{clone.primaryBaseUrl}</dd></div>
        <div><dt>Fetches from</dt><dd><FetchesFrom clone={clone} /></dd></div>
        <div><dt>Fetch</dt><dd><code data-testid="fetch-url">{clone.fetchUrl}</code></dd></div>
        <div><dt>Push</dt><dd><code data-testid="push-url">{clone.pushUrl}</code></dd></div>
      </dl>
      <div className="local-clone__tools">
        {!clone.historyPending && <WarmToggle clone={clone} />}
        <OpenActions path={clone.path} name={name} />
      </div>
      {/* Reserved lines: outcomes appear without moving the next card. */}
      <div className="local-clone__result" aria-live="polite" data-testid="switch-result">
        <SwitchOutcome state={switchState} />
      </div>
      <OpenOutcome path={clone.path} className="local-clone__result" />
    </li>
  );
}
