/**
 * Shown while the helper is away after it had been reached (it crashed or is restarting): the
 * page keeps what it showed and says that it is reconnecting, so the frozen progress bars do
 * not look like a hang. Floats above the status bar so nothing below it moves.
 */
import { useHelper } from '../state/stores';

export function ConnectionNotice() {
  const connection = useHelper((state) => state.connection);
  const everConnected = useHelper((state) => state.everConnected);
  if (!everConnected || connection === 'connected') return null;
  return (
    <div className="connection-notice" role="alert" data-testid="connection-notice">
      <span className="spinner" aria-hidden="true" />
      <span>
        <strong>The mirror-sync helper stopped answering.</strong> Reconnecting… Clones it was running are started again when it is back.
      </span>
    </div>
  );
}
