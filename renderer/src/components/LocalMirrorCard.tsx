/** One local mirror: its state (with the error and the next retry when it failed), size and use; Sync now; Remove after a confirmation. */
import { useRef, useState, type RefObject } from 'react';
import type { LocalMirror } from '../../../shared/contract';
import { formatBytes } from '../format';
import { formatWhen, useNow } from '../relative-time';
import { useLocalMirrors } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { InlineConfirmation } from './InlineConfirmation';

const statePills = {
  ready: { className: 'pill pill--ok', label: 'Ready' },
  syncing: { className: 'pill pill--accent', label: 'Syncing' },
  failed: { className: 'pill pill--bad', label: 'Failed' },
} as const;

function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function RemoveConfirmation({ mirror, onKeep, returnFocusTo }: { mirror: LocalMirror; onKeep(): void; returnFocusTo: RefObject<HTMLButtonElement | null> }) {
  const remove = useLocalMirrors((state) => state.remove);
  const removal = useLocalMirrors((state) => state.removals[mirror.id]);
  return (
    <InlineConfirmation
      className="mirror-card__confirm"
      small
      testId="remove-confirmation"
      question={
        <>
          Remove the local mirror of {mirror.projectKey}/{mirror.slug}? {mirror.sizeBytes !== undefined && `${formatBytes(mirror.sizeBytes)} on disk are freed. `}
          Clones made with it keep working: they never depend on it.
        </>
      }
      confirmLabel="Remove"
      pendingLabel="Removing…"
      cancelLabel="Keep it"
      pending={removal?.pending === true}
      onConfirm={() => void remove(mirror.id)}
      onCancel={onKeep}
      returnFocusTo={returnFocusTo}
    >
      {removal && !removal.pending && removal.error && <ErrorMessage error={removal.error} title="Could not remove it." />}
    </InlineConfirmation>
  );
}

/** When a failed mirror is tried again, as the helper scheduled it. */
function retryText(mirror: LocalMirror, background: { scheduled: boolean; paused: boolean } | undefined, now: number): string {
  if (background && !background.scheduled) return 'This helper does not sync in the background: try again with Sync now.';
  if (background?.paused) return 'Background sync is paused: try again with Sync now, or resume it.';
  if (!mirror.nextSyncAt) return 'Try again with Sync now.';
  if (mirror.nextSyncAt <= now) return 'It is being tried again now.';
  return `Next automatic retry ${formatWhen(mirror.nextSyncAt, now)} (${clockTime(mirror.nextSyncAt)}), or now with Sync now.`;
}

export function LocalMirrorCard({ mirror }: { mirror: LocalMirror }) {
  const syncState = useLocalMirrors((state) => state.syncs[mirror.id]);
  const sync = useLocalMirrors((state) => state.sync);
  const background = useLocalMirrors((state) => state.status);
  const [confirming, setConfirming] = useState(false);
  const removeRef = useRef<HTMLButtonElement>(null);
  const now = useNow();
  // A Sync now under way shows as syncing at once, before the helper's event arrives.
  const state = syncState?.pending ? 'syncing' : mirror.state;
  const pill = statePills[state];
  const name = `${mirror.projectKey}/${mirror.slug}`;
  const keep = () => setConfirming(false);
  return (
    <li className="mirror-card" data-testid="local-mirror" data-id={mirror.id} data-state={state} data-name={name}>
      <div className="mirror-card__head">
        <span className="mirror-card__name">{name}</span>
        <span className={pill.className} data-testid="mirror-state">
          {state === 'syncing' && <span className="spinner" aria-hidden="true" />} {pill.label}
        </span>
        <span className="muted">{new URL(mirror.primaryBaseUrl).host}</span>
        <div className="mirror-card__actions">
          <button type="button" className="button button--small" aria-disabled={state === 'syncing'} onClick={() => state !== 'syncing' && void sync(mirror.id)}>
            {state === 'syncing' ? 'Syncing…' : 'Sync now'}
          </button>
          <button ref={removeRef} type="button" className="button button--small" aria-expanded={confirming} onClick={() => setConfirming(true)}>
            Remove…
          </button>
        </div>
      </div>
      <dl className="mirror-card__facts">
        <div><dt>Source</dt><dd data-testid="mirror-source">{mirror.source.name}</dd></div>
        <div><dt>Size</dt><dd data-testid="mirror-size">{mirror.sizeBytes === undefined ? '…' : formatBytes(mirror.sizeBytes)}</dd></div>
        <div>
          <dt>Last good sync</dt>
          <dd data-testid="mirror-last-sync">{mirror.lastSyncAt ? formatWhen(Date.parse(mirror.lastSyncAt), now) : 'Never'}</dd>
        </div>
        <div><dt>Last used</dt><dd>{mirror.lastUsedAt ? formatWhen(mirror.lastUsedAt, now) : 'Not used by a clone yet'}</dd></div>
      </dl>
      {mirror.state === 'failed' && state === 'failed' && (
        <div className="error-message mirror-card__problem" data-testid="mirror-error">
          <p className="error-message__text">
            <strong>The last sync failed{mirror.failures && mirror.failures > 1 ? ` (${mirror.failures} times in a row)` : ''}. </strong>
            {mirror.lastError ?? 'No reason was recorded.'}
          </p>
          <p className="error-message__hint" data-testid="mirror-retry">
            {retryText(mirror, background, now)} The last good copy is still used.
          </p>
        </div>
      )}
      {syncState && !syncState.pending && syncState.error && <ErrorMessage error={syncState.error} title="Could not sync." />}
      {confirming && <RemoveConfirmation mirror={mirror} onKeep={keep} returnFocusTo={removeRef} />}
    </li>
  );
}
