/** One local clone: where it fetches from and pushes to, switching it, keeping it warm, opening it. */
import type { CloneOpenTarget, KnownClone } from '../../../shared/contract';
import { useClones } from '../state/stores';
import type { OpenState, SwitchState } from '../state/clones-slice';
import { ErrorMessage } from './ErrorMessage';
import { formatWhen } from '../relative-time';

const openTargets: { target: CloneOpenTarget; label: string }[] = [
  { target: 'folder', label: 'File manager' },
  { target: 'terminal', label: 'Terminal' },
  { target: 'editor', label: 'Editor' },
];

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
        </span>
      );
  }
}

function OpenOutcome({ state }: { state: OpenState | undefined }) {
  if (!state) return null;
  const label = openTargets.find((entry) => entry.target === state.target)?.label.toLowerCase();
  if (state.state === 'pending') return <span className="muted">Opening the {label}…</span>;
  if (state.state === 'error') return <ErrorMessage error={state.error} title={`Could not open the ${label}.`} />;
  return <span className="muted">Opened with {state.program}.</span>;
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
  const openState = useClones((state) => state.opens[clone.path]);
  const switchToClosest = useClones((state) => state.switchToClosest);
  const open = useClones((state) => state.open);
  const busy = switchState?.state === 'pending' || switchState?.state === 'queued';
  const name = `${clone.projectKey}/${clone.slug}`;
  return (
    <li className="local-clone" data-testid="local-clone" data-path={clone.path} data-switch-state={switchState?.state ?? 'idle'}>
      <div className="local-clone__head">
        <span className="local-clone__repo">{name}</span>
        <code className="local-clone__path">{clone.path}</code>
        {/* aria-disabled, not disabled: a disabled button would drop keyboard focus while it measures. */}
        <button type="button" className="button button--small" onClick={() => !busy && void switchToClosest(clone.path)} aria-disabled={busy}>
          {switchState?.state === 'pending' ? 'Measuring…' : 'Switch to closest'}
        </button>
      </div>
      <dl className="local-clone__facts">
        <div><dt>Primary</dt><dd>{clone.primaryBaseUrl}</dd></div>
        <div><dt>Current mirror</dt><dd data-testid="clone-source">{clone.source.name}</dd></div>
        <div><dt>Fetch</dt><dd><code data-testid="fetch-url">{clone.fetchUrl}</code></dd></div>
        <div><dt>Push</dt><dd><code data-testid="push-url">{clone.pushUrl}</code></dd></div>
      </dl>
      <div className="local-clone__tools">
        <WarmToggle clone={clone} />
        <div className="clone-open" role="group" aria-label={`Open ${name} in`}>
          <span className="clone-open__label muted" aria-hidden="true">Open in</span>
          {openTargets.map(({ target, label }) => (
            <button
              key={target}
              type="button"
              className="button button--small"
              aria-label={`Open in ${label.toLowerCase()}`}
              aria-disabled={openState?.state === 'pending'}
              onClick={() => openState?.state !== 'pending' && void open(clone.path, target)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {/* Reserved lines: outcomes appear without moving the next card. */}
      <div className="local-clone__result" aria-live="polite" data-testid="switch-result">
        <SwitchOutcome state={switchState} />
      </div>
      <div className="local-clone__result" aria-live="polite" data-testid="open-result">
        <OpenOutcome state={openState} />
      </div>
    </li>
  );
}
