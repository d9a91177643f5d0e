/**
 * After the primary refused the stored token (it expired or was revoked): what to do, and a
 * field for the new token right there. Saving it stores it as connecting the primary again does,
 * then lists again.
 */
import { useId, useState, type FormEvent } from 'react';
import { useBrowse, usePrimaries } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';

export function BrowseTokenForm() {
  const primary = useBrowse((state) => state.primary);
  const replaceToken = useBrowse((state) => state.replaceToken);
  const replacing = useBrowse((state) => state.replacingToken);
  const replaceError = useBrowse((state) => state.replaceTokenError);
  const retry = useBrowse((state) => state.retry);
  const refreshPrimaries = usePrimaries((state) => state.refresh);
  const [token, setToken] = useState('');
  const id = useId();
  const host = primary ? new URL(primary).host : 'the primary';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await replaceToken(token)) {
      setToken('');
      void refreshPrimaries();
    }
  };

  return (
    <form className="browse-token" onSubmit={(event) => void submit(event)} aria-label={`New token for ${host}`}>
      <p className="browse-token__what">
        Create a new HTTP access token in Bitbucket (your avatar → Manage account → HTTP access tokens, read access to repositories is enough) and paste it here.
      </p>
      <div className="browse-token__row">
        <label htmlFor={`${id}-token`} className="visually-hidden">New HTTP access token for {host}</label>
        <input id={`${id}-token`} type="password" autoComplete="off" spellCheck={false} placeholder="New HTTP access token" value={token} onChange={(event) => setToken(event.target.value)} />
        <button type="submit" className="button button--small button--primary" disabled={!token || replacing}>
          {replacing ? 'Checking…' : 'Save token'}
        </button>
        <button type="button" className="button button--small" onClick={retry}>Retry</button>
      </div>
      {replaceError && <ErrorMessage error={replaceError} title="The new token was not saved." testId="browse-token-error" />}
    </form>
  );
}
