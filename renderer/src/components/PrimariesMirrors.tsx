/**
 * Per primary: which server its clones prefer (the pin), and mirrors added by hand. The pin
 * offers what the helper can honour: the closest (no pin), the primary, the mirrors discovery has
 * seen advertised, and the hand-added ones. It holds a candidate id, never a name.
 */
import { useId, useState, type FormEvent } from 'react';
import { primaryCandidateId, type KnownMirror, type PrimarySummary } from '../../../shared/contract';
import { usePrimaries } from '../state/stores';
import type { ErrorInfo } from '../state/errors';
import type { ManualMirror } from '../state/primaries-slice';
import { ErrorMessage } from './ErrorMessage';
import { describedBy, FieldProblem, FieldStatus, useSelfSaving } from './SelfSaving';
import { MirrorTokenConsent } from './MirrorTokenConsent';

const notConnected: ErrorInfo = { code: 'HELPER_UNAVAILABLE', message: 'The helper is not connected.', hint: 'Wait until the status bar says Connected, then choose again.' };

const NO_PIN = '';

/** What the saved pin does, in words. */
export function pinEffect(pinned: string | undefined, mirrors: KnownMirror[] | undefined): string {
  if (!pinned) return 'Clones of this primary use the closest healthy, up-to-date server (or your preferred mirror in Bitbucket, if you chose one there).';
  if (pinned === primaryCandidateId) return 'Clones of this primary come from the primary itself when it is healthy; otherwise from the closest.';
  const mirror = mirrors?.find((known) => known.id === pinned);
  if (mirror?.disabled) return `${mirror.name} is disabled in Bitbucket: it serves no clones, so clones of this primary use the closest until an administrator enables it.`;
  if (!mirror) return 'Clones of this primary use the pinned mirror when discovery finds it healthy; it is not among the mirrors seen lately, so for now they use the closest.';
  return `Clones of this primary use ${mirror.name} when it is healthy and up to date; otherwise the closest.`;
}

export function PinChooser({ primary }: { primary: PrimarySummary }) {
  const known = usePrimaries((state) => state.knownMirrors[primary.baseUrl]);
  const pin = usePrimaries((state) => state.pin);
  const refusal = usePrimaries((state) => state.refusal);
  const field = useSelfSaving<string>({
    saved: primary.pinnedCandidate ?? NO_PIN,
    save: async (value) => ((await pin(primary.baseUrl, value === NO_PIN ? null : value)) ? undefined : (refusal('pins', primary.baseUrl) ?? notConnected)),
  });
  const id = field.statusId;
  const saved = primary.pinnedCandidate ?? NO_PIN;
  const mirrors = known?.state === 'done' ? known.mirrors : undefined;
  const discovered = mirrors?.filter((mirror) => !mirror.manual) ?? [];
  const manual = mirrors?.filter((mirror) => mirror.manual) ?? [];
  // A pin on a mirror no longer listed stays choosable, so the select shows what is in force.
  const orphan = saved !== NO_PIN && saved !== primaryCandidateId && mirrors && !mirrors.some((mirror) => mirror.id === saved);
  const option = (mirror: KnownMirror) => (
    // A disabled mirror serves no clones: shown, so the list matches Bitbucket's, but not choosable.
    <option key={mirror.id} value={mirror.id} disabled={mirror.disabled && mirror.id !== saved}>
      {mirror.disabled ? `${mirror.name} (disabled in Bitbucket)` : mirror.name}
    </option>
  );

  return (
    <div className="primary-card__part" role="group" aria-label={`Preferred server for ${primary.name}`}>
      <h4 className="primary-card__part-title"><label htmlFor={`${id}-pin`}>Preferred server</label></h4>
      <div className="setting__inputs">
        <select
          id={`${id}-pin`}
          className="pin__select"
          value={field.value}
          aria-describedby={describedBy(field, `${id}-effect`)}
          aria-invalid={field.invalid || undefined}
          onChange={(event) => void field.choose(event.target.value)}
        >
          <option value={NO_PIN}>None: the closest</option>
          <option value={primaryCandidateId}>The primary itself ({primary.name})</option>
          {discovered.length > 0 && <optgroup label="Mirror servers the primary advertises">{discovered.map(option)}</optgroup>}
          {manual.length > 0 && <optgroup label="Mirror servers added by hand">{manual.map(option)}</optgroup>}
          {orphan && <option value={saved}>A mirror not seen lately ({saved})</option>}
        </select>
        <FieldStatus field={field} testId="pin-status" />
      </div>
      <p className="pin__effect" id={`${id}-effect`} data-testid="pin-effect">{pinEffect(primary.pinnedCandidate, mirrors)}</p>
      {known?.state === 'done' && discovered.length === 0 && (
        <p className="setting__help">The mirror servers this primary advertises are listed here once you have found one of its repositories in Repositories.</p>
      )}
      {known?.state === 'error' && <ErrorMessage error={known.error} title="Could not list the known mirrors." />}
      <FieldProblem field={field} title="Preferred server not saved." testId="pin-error" />
    </div>
  );
}

export function ManualMirrorsEditor({ primary }: { primary: PrimarySummary }) {
  const changeState = usePrimaries((state) => state.mirrorChanges[primary.baseUrl]);
  const setManualMirrors = usePrimaries((state) => state.setManualMirrors);
  const clearChange = usePrimaries((state) => state.clearChange);
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [localError, setLocalError] = useState<ErrorInfo | undefined>(undefined);
  const [removing, setRemoving] = useState<string | undefined>(undefined);
  const id = useId();
  const pending = changeState?.state === 'pending';
  const error = localError ?? (changeState?.state === 'error' ? changeState.error : undefined);

  const editing = (set: (value: string) => void) => (value: string) => {
    set(value);
    setLocalError(undefined);
    clearChange('mirrorChanges', primary.baseUrl);
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (!name.trim() || !baseUrl.trim()) return setLocalError({ code: 'INVALID_PARAMS', message: "Enter the mirror's name and its base address." });
    setRemoving(undefined);
    if (await setManualMirrors(primary.baseUrl, [...primary.manualMirrors, { name, baseUrl }])) {
      setName('');
      setBaseUrl('');
    }
  };
  const removeMirror = (mirror: ManualMirror) => {
    if (pending) return;
    setLocalError(undefined);
    setRemoving(mirror.baseUrl);
    void setManualMirrors(primary.baseUrl, primary.manualMirrors.filter((other) => other !== mirror));
  };

  return (
    <div className="primary-card__part">
      <h4 className="primary-card__part-title" id={`${id}-title`}>Mirror servers added by hand</h4>
      <p className="setting__help">For Bitbucket mirror servers this primary does not advertise (not local mirrors: those are copies on this computer). Discovery tries <code>&lt;address&gt;/scm/&lt;project&gt;/&lt;repo&gt;.git</code> on them and checks their refs against the primary.</p>
      {primary.manualMirrors.length > 0 && (
        <ul className="manual-mirrors" aria-labelledby={`${id}-title`} data-testid="manual-mirrors">
          {primary.manualMirrors.map((mirror) => (
            <li key={mirror.baseUrl} className="manual-mirror" data-testid="manual-mirror" data-name={mirror.name}>
              <span className="manual-mirror__name">{mirror.name}</span>
              <code className="manual-mirror__url">{mirror.baseUrl}</code>
              {mirror.baseUrl.startsWith('http:') && <span className="badge badge--warn">plain http</span>}
              <button type="button" className="button button--small manual-mirror__remove" aria-label={`Remove mirror server ${mirror.name}`} aria-disabled={pending} onClick={() => removeMirror(mirror)}>
                {pending && removing === mirror.baseUrl ? 'Removing…' : 'Remove'}
              </button>
              <MirrorTokenConsent primary={primary} mirror={mirror} />
            </li>
          ))}
        </ul>
      )}
      <form className="manual-mirror-form" noValidate onSubmit={(event) => void add(event)} aria-label={`Add a mirror server to ${primary.name}`}>
        <div className="field manual-mirror-form__name">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} type="text" autoComplete="off" placeholder="Frankfurt" maxLength={100} value={name} onChange={(event) => editing(setName)(event.target.value)} />
        </div>
        <div className="field manual-mirror-form__url">
          <label htmlFor={`${id}-url`}>Base address</label>
          <input id={`${id}-url`} type="text" inputMode="url" autoComplete="off" spellCheck={false} placeholder="https://mirror-fra.example.com" value={baseUrl} onChange={(event) => editing(setBaseUrl)(event.target.value)} />
        </div>
        <button type="submit" className="button" aria-disabled={pending}>{pending && !removing ? 'Adding…' : 'Add mirror server'}</button>
      </form>
      {error && <ErrorMessage error={error} title={removing ? 'Mirror server not removed.' : 'Mirror server not added.'} testId="manual-mirror-error" />}
    </div>
  );
}
