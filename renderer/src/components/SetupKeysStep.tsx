/**
 * Step 3: will SSH work for this selection? Every key is tried on the primary and on the mirrors
 * that hold the chosen repositories (no clone). With a key accepted everywhere, SSH it is. If
 * none is, the SSH keys page's own pieces offer a key of a type every server accepts and its
 * upload, then a check again; or this batch clones over HTTPS with the access token.
 */
import { useEffect, useState } from 'react';
import { keyAcceptedEverywhere } from '../state/selection-key-check';
import { usePrimaries, useSetup } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { CheckMatrix, HostKeysReview } from './KeyCheckPanel';
import { KeyGeneratePanel } from './KeyGeneratePanel';
import { SetupNav } from './SetupNav';

export function SetupKeysStep() {
  const keyCheck = useSetup((state) => state.keyCheck);
  const checkKeys = useSetup((state) => state.checkKeys);
  const protocol = useSetup((state) => state.protocol);
  const setProtocol = useSetup((state) => state.setProtocol);
  const show = useSetup((state) => state.show);
  const primaryUrl = useSetup((state) => state.primary);
  const primaryName = usePrimaries((state) => state.list?.find((item) => item.baseUrl === primaryUrl)?.name) ?? 'the primary';
  const [generateOpen, setGenerateOpen] = useState(false);
  const done = keyCheck?.state === 'done' ? keyCheck.result : undefined;
  const fitting = done ? keyAcceptedEverywhere(done) : undefined;

  // Entering the step tries the keys once (for this selection); "Check again" repeats it.
  useEffect(() => {
    if (!keyCheck) void checkKeys();
  }, [keyCheck, checkKeys]);
  // A key that fits everywhere makes SSH the answer, unless HTTPS was chosen already.
  useEffect(() => {
    if (fitting && protocol === undefined) setProtocol('ssh');
  }, [fitting, protocol, setProtocol]);

  const blocked =
    protocol === 'http' ? undefined : protocol === 'ssh' && fitting ? undefined : keyCheck?.state === 'pending' ? 'Checking your keys…' : 'Choose HTTPS, or make a key every server accepts and check again.';

  return (
    <div className="setup__body">
      <div className="setup__keys" aria-live="polite" data-testid="setup-key-check" data-state={keyCheck?.state ?? 'none'}>
        {keyCheck?.state === 'pending' && <p className="muted"><span className="spinner" aria-hidden="true" /> Trying each of your keys on the primary and the mirrors of your repositories…</p>}
        {keyCheck?.state === 'error' && <ErrorMessage error={keyCheck.error} title="Could not check your keys." testId="setup-key-error" />}
        {done && (
          <>
            <p className="muted setup__servers">
              {done.servers.length === 1 ? 'The server' : `The ${done.servers.length} servers`} your clones will use: {done.servers.map((server) => server.name).join(', ')}.
            </p>
            {done.servers.length > 0 && done.inventory.keys.length > 0 && <CheckMatrix check={done} />}
            <HostKeysReview check={done} />
            {fitting ? (
              <p className="ok-text" data-testid="setup-keys-ok">✓ Your key {fitting.name} is accepted by every server: clones can use SSH.</p>
            ) : (
              <p className="warn-text" data-testid="setup-keys-not-ok">
                {done.inventory.keys.length === 0 ? 'You have no SSH key yet.' : 'None of your keys is accepted by every server these repositories use.'} Make one every server accepts and upload it to {primaryName}, or clone over HTTPS this time.
              </p>
            )}
          </>
        )}
      </div>
      <fieldset className="setup__choice" data-testid="setup-protocol">
        <legend>Clone over</legend>
        <label className="setup__option">
          <input type="radio" name="setup-protocol" value="ssh" checked={protocol === 'ssh'} onChange={() => setProtocol('ssh')} data-testid="setup-protocol-ssh" />
          SSH <span className="muted">{fitting ? `with ${fitting.name}` : '(needs a key every server accepts)'}</span>
        </label>
        <label className="setup__option">
          <input type="radio" name="setup-protocol" value="http" checked={protocol === 'http'} onChange={() => setProtocol('http')} data-testid="setup-protocol-https" />
          HTTPS <span className="muted">with your access token, for this batch</span>
        </label>
      </fieldset>
      {done && !fitting && protocol !== 'http' && (
        <KeyGeneratePanel open={generateOpen} setOpen={setGenerateOpen} primary={primaryUrl} primaryName={primaryName} />
      )}
      <SetupNav next={{ label: 'Next: choose the folder', onNext: () => show('go'), blocked }}>
        <button type="button" className="button" onClick={() => keyCheck?.state !== 'pending' && void checkKeys()} aria-disabled={keyCheck?.state === 'pending'} data-testid="setup-check-again">
          Check again
        </button>
      </SetupNav>
    </div>
  );
}
