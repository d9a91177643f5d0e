/**
 * Connected primaries in Settings: who is signed in where and how, a warning for plain http,
 * the preferred mirror and hand-added mirrors, and Remove (which deletes the keychain token)
 * behind a confirmation step.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { PrimarySummary } from '../../../shared/contract';
import { useNavigation, usePrimaries, useSettings } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { InlineConfirmation } from './InlineConfirmation';
import { ManualMirrorsEditor, PinChooser } from './PrimariesMirrors';

function RemovePrimary({ primary, headingId }: { primary: PrimarySummary; headingId: string }) {
  const [confirming, setConfirming] = useState(false);
  const removal = usePrimaries((state) => state.removals[primary.baseUrl]);
  const remove = usePrimaries((state) => state.remove);
  const clearChange = usePrimaries((state) => state.clearChange);
  const openButton = useRef<HTMLButtonElement>(null);

  if (!confirming) {
    return (
      <button type="button" ref={openButton} className="button button--small primary-card__remove" aria-describedby={headingId} onClick={() => setConfirming(true)}>
        Remove…
      </button>
    );
  }
  return (
    <InlineConfirmation
      className="confirm"
      testId="remove-confirmation"
      question={
        <>
          <strong>Remove {primary.name}?</strong> Its {primary.authKind === 'token' ? 'access token' : 'password'} is deleted from the OS keychain. Clones on disk stay as they are; connect it again to clone from it.
        </>
      }
      confirmLabel={`Remove ${primary.name}`}
      pendingLabel="Removing…"
      cancelLabel="Cancel"
      pending={removal?.state === 'pending'}
      onConfirm={() => void remove(primary.baseUrl)}
      onCancel={() => {
        setConfirming(false);
        clearChange('removals', primary.baseUrl);
      }}
      returnFocusTo={openButton}
    >
      {removal?.state === 'error' && <ErrorMessage error={removal.error} title="Could not remove the primary." testId="remove-error" />}
    </InlineConfirmation>
  );
}

function PrimaryCard({ primary }: { primary: PrimarySummary }) {
  const loadKnownMirrors = usePrimaries((state) => state.loadKnownMirrors);
  const focusPrimary = useSettings((state) => state.focusPrimary);
  const requestPrimaryFocus = useSettings((state) => state.requestPrimaryFocus);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();

  // Read again each time Settings opens: a discovery since may have seen new mirrors.
  useEffect(() => {
    void loadKnownMirrors(primary.baseUrl);
  }, [loadKnownMirrors, primary.baseUrl]);
  useEffect(() => {
    if (focusPrimary !== primary.baseUrl) return;
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
    requestPrimaryFocus(undefined);
  }, [focusPrimary, primary.baseUrl, requestPrimaryFocus]);

  return (
    <li className="primary-card" data-testid="primary-card" data-base-url={primary.baseUrl}>
      <div className="primary-card__head">
        <h3 className="primary-card__name" id={`${id}-name`} ref={heading} tabIndex={-1}>{primary.name}</h3>
        {primary.insecure && <span className="badge badge--warn">plain http</span>}
        <RemovePrimary primary={primary} headingId={`${id}-name`} />
      </div>
      <dl className="primary-card__facts">
        <div><dt>Address</dt><dd><code>{primary.baseUrl}</code></dd></div>
        <div><dt>Signed in as</dt><dd>{primary.username ?? <span className="muted">not reported</span>}</dd></div>
        <div><dt>With</dt><dd>{primary.authKind === 'token' ? 'HTTP access token' : 'username and password'} in the OS keychain</dd></div>
        <div><dt>Bitbucket</dt><dd>{primary.version ?? <span className="muted">version unknown</span>}</dd></div>
      </dl>
      {primary.insecure && (
        <p className="primary-card__warning" data-testid="insecure-warning">
          Plain http: your {primary.authKind === 'token' ? 'token' : 'password'} and the code travel unencrypted. Ask the Bitbucket administrators for an https:// address and connect with that.
        </p>
      )}
      <PinChooser primary={primary} />
      <ManualMirrorsEditor primary={primary} />
    </li>
  );
}

export function PrimariesSettings() {
  const list = usePrimaries((state) => state.list);
  const loadError = usePrimaries((state) => state.loadError);
  const show = useNavigation((state) => state.show);
  return (
    <section className="settings__part" aria-labelledby="settings-primaries-title" aria-busy={list === undefined} data-testid="settings-primaries">
      <h2 id="settings-primaries-title" className="content__subtitle">Connected primaries</h2>
      {loadError && <ErrorMessage error={loadError} title="Could not read the connected primaries." />}
      {list === undefined && !loadError && <p className="muted primaries-settings__loading">Loading…</p>}
      {list?.length === 0 && (
        <div className="primaries-settings__empty" data-testid="primaries-empty">
          <p><strong>No primary connected.</strong> Connect your company&apos;s Bitbucket in Repositories to find and clone repositories.</p>
          <button type="button" className="button button--small" onClick={() => show('repositories')}>Connect a primary</button>
        </div>
      )}
      {list !== undefined && list.length > 0 && (
        <ul className="primary-cards">
          {list.map((primary) => <PrimaryCard key={primary.baseUrl} primary={primary} />)}
        </ul>
      )}
    </section>
  );
}
