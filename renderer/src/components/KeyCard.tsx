/**
 * One SSH key: its type and size, fingerprint, passphrase and agent state, whether the primary
 * has it, and every warning about it (its own, and what the last check found) with the fix.
 * Upload is offered whenever the helper says the primary does not have the key.
 */
import type { KeyWarning, SshKey } from '../state/keys-slice';
import { useKeys } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { CodeText, Fingerprint } from './KeyText';

export const typeName = (type: string) => (type === 'ED25519' ? 'Ed25519' : type === 'ED25519-SK' ? 'Ed25519-SK' : type);

export function Warnings({ warnings, testId }: { warnings: KeyWarning[]; testId: string }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="key-warnings" data-testid={testId}>
      {warnings.map((warning, index) => (
        <li key={`${warning.code}-${warning.key ?? ''}-${warning.server ?? ''}-${index}`} className="key-warning" data-testid="key-warning" data-code={warning.code} data-server={warning.server}>
          <p className="key-warning__message"><span className="badge badge--warn">Warning</span><CodeText text={warning.message} /></p>
          <p className="key-warning__fix"><strong>Fix: </strong><CodeText text={warning.fix} /></p>
        </li>
      ))}
    </ul>
  );
}

export function UploadButton({ publicKey, primary, primaryName }: { publicKey: string; primary?: string; primaryName: string }) {
  const upload = useKeys((state) => state.upload);
  const uploadState = useKeys((state) => state.uploads[publicKey]);
  const pending = uploadState?.state === 'pending';
  return (
    <div className="key-upload" aria-live="polite">
      {uploadState?.state === 'done' ? (
        <span className="ok-text" data-testid="upload-result">Uploaded to {primaryName}.</span>
      ) : (
        <button type="button" className="button button--small" aria-disabled={pending} onClick={() => !pending && void upload(publicKey, primary)}>
          {pending ? 'Uploading…' : `Upload to ${primaryName}`}
        </button>
      )}
      {uploadState?.state === 'error' && <ErrorMessage error={uploadState.error} title="Could not upload the key." testId="upload-error" />}
    </div>
  );
}

/**
 * `uploaded`: whether the primary has the key, as the helper last said (undefined: not asked,
 * e.g. no primary connected; null: could not be asked).
 */
export function KeyCard({ sshKey, uploaded, checkWarnings, primary, primaryName }: { sshKey: SshKey; uploaded?: boolean | null; checkWarnings: KeyWarning[]; primary?: string; primaryName: string }) {
  const uploadedHere = useKeys((state) => (sshKey.publicKey ? state.uploads[sshKey.publicKey]?.state === 'done' : false));
  const onPrimary = uploadedHere || uploaded === true;
  const offerUpload = !onPrimary && uploaded !== undefined && Boolean(sshKey.publicKey) && !sshKey.problem;
  return (
    <li className="key-card" data-testid="ssh-key" data-name={sshKey.name} data-fingerprint={sshKey.fingerprint}>
      <div className="key-card__head">
        <span className="key-card__name">{sshKey.name}</span>
        {sshKey.type && <span className="pill">{typeName(sshKey.type)}{sshKey.bits ? ` · ${sshKey.bits} bits` : ''}</span>}
        {onPrimary && <span className="pill pill--ok" data-testid="key-on-primary">On {primaryName}</span>}
        {uploaded === false && !onPrimary && <span className="pill pill--warn">Not on {primaryName}</span>}
      </div>
      <dl className="key-card__facts">
        <div><dt>Fingerprint</dt><dd>{sshKey.fingerprint ? <Fingerprint value={sshKey.fingerprint} /> : '—'}</dd></div>
        <div><dt>Comment</dt><dd className="key-card__comment" title={sshKey.comment}>{sshKey.comment || '—'}</dd></div>
        <div><dt>Passphrase</dt><dd>{sshKey.passphrase === 'none' ? 'none' : sshKey.passphrase === 'protected' ? 'protected' : 'unknown'}</dd></div>
        <div><dt>In agent</dt><dd>{sshKey.inAgent ? 'yes' : 'no'}</dd></div>
      </dl>
      {sshKey.problem && <p className="warn-text key-card__problem">{sshKey.problem}</p>}
      <Warnings warnings={[...sshKey.warnings, ...checkWarnings]} testId="key-own-warnings" />
      {offerUpload && <UploadButton publicKey={sshKey.publicKey!} primary={primary} primaryName={primaryName} />}
    </li>
  );
}
