/**
 * The helper's presence at a glance: a coloured dot, its version and state, where it keeps data.
 * While clones run it says how many instead of "ready" (the helper is busy, not idle).
 */
import { useCloneJobs, useHelper } from '../state/stores';
import { runningCloneCount, runningClonesText } from '../state/running-clones';

const connectionLabels = {
  connected: 'Connected',
  connecting: 'Connecting…',
  disconnected: 'Reconnecting…',
  'no-helper': 'No helper',
} as const;

export function StatusBar() {
  const connection = useHelper((state) => state.connection);
  const info = useHelper((state) => state.info);
  const error = useHelper((state) => state.error);
  const running = useCloneJobs((state) => runningCloneCount(state.jobs));
  return (
    <footer className="status-bar" role="status" aria-live="polite">
      <span className={`status-dot status-dot--${connection}`} aria-hidden="true" />
      <span data-testid="helper-connection">{connectionLabels[connection]}</span>
      <span className="status-bar__sep" aria-hidden="true">·</span>
      <span data-testid="helper-version">{info ? `mirror-sync helper ${info.version}` : 'mirror-sync helper'}</span>
      {/* The last state heard is stale while the connection is down. */}
      {info && connection === 'connected' && (
        <span className="status-bar__muted" data-testid="helper-state">{running > 0 && info.state === 'ready' ? runningClonesText(running) : info.state}</span>
      )}
      {error && <span className="status-bar__error">{error}</span>}
    </footer>
  );
}
