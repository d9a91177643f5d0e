/**
 * Whether a mirror added by hand receives the primary's token, and the question that allows it.
 * The primary does not vouch for such a mirror, so it is asked anonymously until the user says,
 * naming both hosts, that their token may go there. The consent belongs to the mirror's address:
 * changing the address drops it (the helper enforces this).
 */
import { useId, useState } from 'react';
import type { PrimarySummary } from '../../../shared/contract';
import { usePrimaries } from '../state/stores';
import type { ManualMirror } from '../state/primaries-slice';
import { ErrorMessage } from './ErrorMessage';
import { hostOf } from '../state/job-title';

/** The host to name in the question; an address that is not a URL is named whole. */
const hostIn = (url: string): string => hostOf(url) ?? url;

export function MirrorTokenConsent({ primary, mirror }: { primary: PrimarySummary; mirror: ManualMirror }) {
  const state = usePrimaries((slice) => slice.tokenConsents[mirror.baseUrl]);
  const allowToken = usePrimaries((slice) => slice.allowToken);
  const withdrawToken = usePrimaries((slice) => slice.withdrawToken);
  const [asking, setAsking] = useState(false);
  const id = useId();
  const primaryHost = hostIn(primary.baseUrl);
  const mirrorHost = hostIn(mirror.baseUrl);
  const pending = state?.state === 'pending';
  const allowed = mirror.tokenAllowed?.host === mirrorHost.toLowerCase();

  const allow = async () => {
    if (pending) return;
    if (await allowToken(primary.baseUrl, mirror.baseUrl, mirrorHost)) setAsking(false);
  };

  return (
    <div className="mirror-token" data-testid="mirror-token">
      {allowed ? (
        <p className="setting__help mirror-token__state">
          Gets your token for {primaryHost}.{' '}
          <button type="button" className="button button--small" aria-disabled={pending} onClick={() => !pending && void withdrawToken(primary.baseUrl, mirror.baseUrl)}>
            {pending ? 'Stopping…' : 'Stop sending token'}
          </button>
        </p>
      ) : !asking ? (
        <p className="setting__help mirror-token__state">
          Asked without your token: clones from it work only if it allows anonymous reads.{' '}
          <button type="button" className="button button--small" onClick={() => setAsking(true)} aria-label={`Send token to ${mirror.name}…`}>
            Send token…
          </button>
        </p>
      ) : (
        <div className="mirror-token__question" role="group" aria-labelledby={`${id}-question`} aria-describedby={`${id}-why`}>
          <p className="mirror-token__ask" id={`${id}-question`}>
            <strong>Send your token for {primaryHost} to {mirrorHost}?</strong>
          </p>
          <p className="setting__help" id={`${id}-why`}>
            {primaryHost} does not list this mirror, so it cannot vouch for it. Whoever runs {mirrorHost} could use your token to act as you on {primaryHost}. Allow it only for a server your company runs.
          </p>
          <div className="setting__inputs">
            <button type="button" className="button" aria-disabled={pending} onClick={() => void allow()}>
              {pending ? 'Allowing…' : `Send my token to ${mirrorHost}`}
            </button>
            {/* The safe answer has the focus: Enter right away does not send anything. */}
            <button type="button" className="button button--quiet" autoFocus onClick={() => setAsking(false)}>
              Don't send
            </button>
          </div>
        </div>
      )}
      {state?.state === 'error' && <ErrorMessage error={state.error} title="Token setting not changed." testId="mirror-token-error" />}
    </div>
  );
}
