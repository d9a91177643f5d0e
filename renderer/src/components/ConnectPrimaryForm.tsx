/**
 * "Connect a primary": the Bitbucket base URL and an HTTP access token. Both are checked when
 * a field is left (version, signed-in user, or the error with its hint) and again on submit;
 * adding stores the token in the OS keychain through the helper.
 */
import { useId, useState, type FormEvent } from 'react';
import { usePrimaries } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';

export function ConnectPrimaryForm({ onConnected }: { onConnected?: () => void }) {
  const [baseUrl, setBaseUrl] = useState('');
  const [token, setToken] = useState('');
  const check = usePrimaries((state) => state.check);
  const checkPrimary = usePrimaries((state) => state.checkPrimary);
  const add = usePrimaries((state) => state.add);
  const adding = usePrimaries((state) => state.adding);
  const addError = usePrimaries((state) => state.addError);
  const id = useId();

  const runCheck = () => {
    if (baseUrl.trim()) void checkPrimary(baseUrl, token);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!baseUrl.trim() || !token) return;
    if (await add(baseUrl, token)) onConnected?.();
  };

  return (
    <form className="connect-form" onSubmit={(event) => void submit(event)} aria-label="Connect a primary">
      <div className="field">
        <label htmlFor={`${id}-url`}>Bitbucket base URL</label>
        <input
          id={`${id}-url`}
          type="url"
          required
          autoComplete="url"
          spellCheck={false}
          placeholder="https://bitbucket.example.com"
          value={baseUrl}
          onChange={(event) => setBaseUrl(event.target.value)}
          onBlur={runCheck}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-token`}>HTTP access token</label>
        <input
          id={`${id}-token`}
          type="password"
          required
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          onBlur={runCheck}
          aria-describedby={`${id}-token-help`}
        />
        <p className="field__help" id={`${id}-token-help`}>
          Create one in Bitbucket under Manage account → HTTP access tokens (read access to repositories is enough). It is kept in your OS keychain.
        </p>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={adding}>
          {adding ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      {/* Below the button, in reserved space: the check's answer never moves the form's controls. */}
      <div className="connect-form__check" aria-live="polite" data-testid="primary-check">
        {check.state === 'pending' && <span className="muted"><span className="spinner" aria-hidden="true" /> Checking…</span>}
        {check.state === 'ok' && (
          <span className="ok-text">
            ✓ Bitbucket {check.connection.version}
            {check.connection.displayName ? ` (${check.connection.displayName})` : ''}
            {check.connection.username ? `, signed in as ${check.connection.username}` : ''}
            {check.connection.insecure && <span className="warn-text"> · plain http: the token travels unencrypted</span>}
          </span>
        )}
        {check.state === 'error' && !addError && <ErrorMessage error={check.error} />}
        {addError && <ErrorMessage error={addError} title="Could not connect." />}
      </div>
    </form>
  );
}
