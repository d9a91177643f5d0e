/** The helper's presence at a glance: a coloured dot, its version and state, where it keeps data. */
import { useHelper } from '../state/stores';

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
  return (
    <footer className="status-bar" role="status" aria-live="polite">
      <span className={`status-dot status-dot--${connection}`} aria-hidden="true" />
      <span data-testid="helper-connection">{connectionLabels[connection]}</span>
      <span className="status-bar__sep" aria-hidden="true">·</span>
      <span data-testid="helper-version">{info ? `mirror-sync helper ${info.version}` : 'mirror-sync helper'}</span>
      {/* The last state heard is stale while the connection is down. */}
      {info && connection === 'connected' && <span className="status-bar__muted" data-testid="helper-state">{info.state}</span>}
      {error && <span className="status-bar__error">{error}</span>}
    </footer>
  );
}
