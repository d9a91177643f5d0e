/** Step 1: the primary. The Repositories page's own form when none is connected; otherwise which one to use. */
import { usePrimaries, useSetup } from '../state/stores';
import { ConnectPrimaryForm } from './ConnectPrimaryForm';
import { SetupNav } from './SetupNav';

export function SetupConnectStep() {
  const list = usePrimaries((state) => state.list) ?? [];
  const primary = useSetup((state) => state.primary);
  const setPrimary = useSetup((state) => state.setPrimary);
  const show = useSetup((state) => state.show);

  if (list.length === 0) {
    return (
      <div className="setup__body">
        <p className="setup__intro">
          Your company&apos;s Bitbucket Data Center is the primary: it knows every repository and which mirrors hold them. Give its address and an HTTP access token; the token stays in your OS keychain.
        </p>
        <ConnectPrimaryForm onConnected={() => show('choose')} />
        <SetupNav back={null} />
      </div>
    );
  }

  return (
    <div className="setup__body">
      {list.length === 1 ? (
        <p className="ok-text setup__connected" data-testid="setup-connected">✓ Connected to {list[0]!.name} ({list[0]!.baseUrl})</p>
      ) : (
        <fieldset className="setup__choice">
          <legend>Which primary the repositories come from</legend>
          {list.map((item) => (
            <label key={item.baseUrl} className="setup__option">
              <input type="radio" name="setup-primary" checked={item.baseUrl === primary} onChange={() => setPrimary(item.baseUrl)} />
              {item.name} <span className="muted">{item.baseUrl}</span>
            </label>
          ))}
        </fieldset>
      )}
      <p className="muted">To add another, use Connect another primary under Repositories.</p>
      <SetupNav back={null} next={{ label: 'Next: choose the repositories', onNext: () => show('choose') }} />
    </div>
  );
}
