/**
 * SSH keys: what is in ~/.ssh and the agent (with each key's warnings and their fix), which server
 * (primary, mirrors) accepts which key for a repository, and making or uploading a key.
 */
import { useId, useState, type FormEvent } from 'react';
import { useDiscovery, useKeys, useNavigation, usePrimaries } from '../state/stores';
import type { KeyCheck, KeyWarning, SshKey } from '../state/keys-slice';
import { ErrorMessage } from './ErrorMessage';

const looksLikeUrl = (value: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^@\s]+@[^:\s]+:/.test(value);

const outcomeWords: Record<string, { mark: string; word: string; tone: string }> = {
  accepted: { mark: '✓', word: 'accepted', tone: 'ok' },
  refused: { mark: '✗', word: 'refused', tone: 'bad' },
  'host-key-unknown': { mark: '?', word: 'host key unknown', tone: 'warn' },
  'host-key-changed': { mark: '!', word: 'host key changed', tone: 'bad' },
  unreachable: { mark: '–', word: 'unreachable', tone: 'warn' },
  'key-unusable': { mark: '!', word: 'key unusable', tone: 'warn' },
  'not-tried': { mark: '·', word: 'not tried', tone: 'muted' },
};

const keyLabel = (key: SshKey) => `${key.name}${key.type ? ` (${key.type === 'ED25519' ? 'Ed25519' : key.type})` : ''}`;

function Warnings({ warnings, testId }: { warnings: KeyWarning[]; testId: string }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="key-warnings" data-testid={testId}>
      {warnings.map((warning, index) => (
        <li key={`${warning.code}-${warning.key ?? ''}-${warning.server ?? ''}-${index}`} className="key-warning" data-testid="key-warning" data-code={warning.code} data-server={warning.server}>
          <p className="key-warning__message"><span className="badge badge--warn">Warning</span>{warning.message}</p>
          <p className="key-warning__fix"><strong>Fix: </strong>{warning.fix}</p>
        </li>
      ))}
    </ul>
  );
}

function UploadButton({ publicKey, primary, primaryName }: { publicKey: string; primary?: string; primaryName: string }) {
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

function KeyCard({ sshKey, uploaded: checked, primary, primaryName }: { sshKey: SshKey; uploaded?: boolean | null; primary?: string; primaryName: string }) {
  const uploadedNow = useKeys((state) => (sshKey.publicKey ? state.uploads[sshKey.publicKey]?.state === 'done' : false));
  const uploaded = uploadedNow || checked;
  return (
    <li className="key-card" data-testid="ssh-key" data-name={sshKey.name} data-fingerprint={sshKey.fingerprint}>
      <div className="key-card__head">
        <span className="key-card__name">{sshKey.name}</span>
        {sshKey.type && <span className="pill">{sshKey.type === 'ED25519' ? 'Ed25519' : sshKey.type}{sshKey.bits ? ` · ${sshKey.bits} bits` : ''}</span>}
        {uploaded === true && <span className="pill pill--ok">On {primaryName}</span>}
        {uploaded === false && <span className="pill pill--warn">Not on {primaryName}</span>}
      </div>
      <dl className="key-card__facts">
        <div><dt>Fingerprint</dt><dd><code>{sshKey.fingerprint ?? '—'}</code></dd></div>
        <div><dt>Passphrase</dt><dd>{sshKey.passphrase === 'none' ? 'none' : sshKey.passphrase === 'protected' ? 'protected' : 'unknown'}</dd></div>
        <div><dt>In agent</dt><dd>{sshKey.inAgent ? 'yes' : 'no'}</dd></div>
      </dl>
      {sshKey.problem && <p className="warn-text key-card__problem">{sshKey.problem}</p>}
      <Warnings warnings={sshKey.warnings} testId="key-own-warnings" />
      {/* Once uploaded from here, the pill above says so. */}
      {checked === false && !uploadedNow && sshKey.publicKey && <UploadButton publicKey={sshKey.publicKey} primary={primary} primaryName={primaryName} />}
    </li>
  );
}

function CheckMatrix({ check }: { check: KeyCheck }) {
  const keys = check.inventory.keys.filter((key) => check.servers.some((server) => server.results.some((result) => result.key === key.id)));
  return (
    <div className="key-matrix__scroll">
      <table className="key-matrix" data-testid="key-matrix">
        <caption className="visually-hidden">Which server accepts which key</caption>
        <thead>
          <tr>
            <th scope="col">Server</th>
            {keys.map((key) => <th scope="col" key={key.id} data-key={key.fingerprint}>{keyLabel(key)}</th>)}
          </tr>
        </thead>
        <tbody>
          {check.servers.map((server) => (
            <tr key={server.id} data-testid="key-matrix-row" data-server={server.name} data-kind={server.kind}>
              <th scope="row">
                <span className="key-matrix__server">{server.name}</span>
                <span className="muted key-matrix__kind">{server.kind === 'primary' ? 'primary' : 'mirror'} · {server.host}:{server.port}</span>
              </th>
              {keys.map((key) => {
                const result = server.results.find((entry) => entry.key === key.id);
                const words = outcomeWords[result?.outcome ?? 'not-tried']!;
                const detail = result?.detail ? `${words.word}: ${result.detail}` : words.word;
                return (
                  <td key={key.id} className={`key-matrix__cell key-matrix__cell--${words.tone}`} data-testid="key-outcome" data-key={key.fingerprint} data-outcome={result?.outcome ?? 'not-tried'} title={detail}>
                    <span aria-hidden="true" className="key-matrix__mark">{words.mark}</span> {words.word}
                    {/* The detail in words too, not only in the tooltip: readable without a pointer. */}
                    {result?.detail && result.outcome !== 'accepted' && <span className="key-matrix__detail">{result.detail}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CheckForm() {
  const lastRepository = useDiscovery((state) => state.repository);
  const lastPrimary = useDiscovery((state) => state.primary);
  const primaries = usePrimaries((state) => state.list) ?? [];
  const check = useKeys((state) => state.check);
  const runCheck = useKeys((state) => state.runCheck);
  const [value, setValue] = useState<string | undefined>(undefined);
  const id = useId();
  const repository = value ?? check?.repository ?? lastRepository ?? '';
  const pending = check?.state === 'pending';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = repository.trim();
    if (!trimmed || pending) return;
    void runCheck(trimmed, looksLikeUrl(trimmed) ? undefined : (lastPrimary ?? primaries[0]?.baseUrl));
  };
  return (
    <form className="repo-field" onSubmit={submit} aria-label="Check keys against servers">
      <label htmlFor={`${id}-repo`} className="repo-field__label">Repository whose servers to check (URL or PROJECT/repo)</label>
      <div className="repo-field__row">
        <input id={`${id}-repo`} type="text" spellCheck={false} autoComplete="off" placeholder="PROJ/repo" value={repository} onChange={(event) => setValue(event.target.value)} />
        <button type="submit" className="button button--primary" aria-disabled={pending || !repository.trim()}>
          {pending ? 'Checking…' : 'Check against servers'}
        </button>
      </div>
    </form>
  );
}

function GeneratePanel({ primary, primaryName }: { primary?: string; primaryName: string }) {
  const generated = useKeys((state) => state.generated);
  const generate = useKeys((state) => state.generate);
  const pending = generated?.state === 'pending';
  return (
    <div className="panel key-generate" aria-live="polite" data-testid="key-generate">
      <div className="key-generate__row">
        <p className="muted key-generate__text">Make a new key of a type every checked server accepts (Ed25519, or ECDSA where a server refuses Ed25519).</p>
        <button type="button" className="button" aria-disabled={pending} onClick={() => !pending && void generate()}>
          {pending ? 'Generating…' : 'Generate a key'}
        </button>
      </div>
      {generated?.state === 'done' && (
        <div className="key-generate__result" data-testid="generated-key">
          <p>
            <span className="ok-text">Made {generated.result.type === 'ED25519' ? 'an Ed25519' : generated.result.type === 'RSA' ? 'an RSA' : `an ${generated.result.type}`} key</span> in <code>{generated.result.privateKeyPath}</code>
            <br /><code className="muted">{generated.result.fingerprint}</code>
          </p>
          <UploadButton publicKey={generated.result.publicKey} primary={primary} primaryName={primaryName} />
        </div>
      )}
      {generated?.state === 'error' && <ErrorMessage error={generated.error} title="Could not make a key." />}
    </div>
  );
}

export function KeysSection() {
  const inventory = useKeys((state) => state.inventory);
  const loadError = useKeys((state) => state.loadError);
  const check = useKeys((state) => state.check);
  const primaries = usePrimaries((state) => state.list) ?? [];
  const primariesLoaded = usePrimaries((state) => state.list !== undefined);
  const show = useNavigation((state) => state.show);
  const done = check?.state === 'done' ? check.result : undefined;
  const primary = done?.primaryBaseUrl ?? primaries[0]?.baseUrl;
  const primaryName = primaries.find((item) => item.baseUrl === primary)?.name ?? (primary ? new URL(primary).host : 'the primary');
  const keys = inventory?.keys ?? [];
  const checkWarnings = done ? done.warnings.filter((warning) => !warning.key || !keys.some((key) => key.id === warning.key && key.warnings.some((own) => own.code === warning.code))) : [];

  return (
    <section className="content__section keys" aria-labelledby="keys-title" aria-busy={!inventory && !loadError}>
      <h1 id="keys-title" className="content__title">SSH keys</h1>

      <h2 className="content__subtitle">Your keys</h2>
      {loadError && !inventory && <ErrorMessage error={loadError} title="Could not read your SSH keys." />}
      {!inventory && !loadError && <p className="muted key-list__placeholder">Reading ~/.ssh and the agent…</p>}
      {inventory && (
        <>
          <p className="muted key-list__where">
            In <code>{inventory.folder}</code> · agent {inventory.agent.running ? 'running' : 'not running'}{inventory.agent.detail ? ` (${inventory.agent.detail})` : ''}
          </p>
          {keys.length === 0 ? (
            <div className="key-empty" data-testid="keys-empty">
              <p className="key-empty__title">No SSH keys yet</p>
              <p className="muted">Clones over SSH need a key. Generate one below and upload it to your primary.</p>
            </div>
          ) : (
            <ul className="key-list" data-testid="ssh-keys">
              {keys.map((key) => <KeyCard key={key.id} sshKey={key} uploaded={done?.uploaded[key.id]} primary={primary} primaryName={primaryName} />)}
            </ul>
          )}
        </>
      )}
      <GeneratePanel primary={primary} primaryName={primaryName} />

      <h2 className="content__subtitle key-check__title">Check against servers</h2>
      <p className="muted key-check__intro">Tries each key on the primary and every mirror holding the repository, as git would, without cloning anything.</p>
      {primariesLoaded && primaries.length === 0 && !check ? (
        <div className="key-empty" data-testid="keys-no-primary">
          <p className="key-empty__title">No primary connected</p>
          <p className="muted">The check asks the primary which mirrors hold the repository.</p>
          <button type="button" className="button button--small key-empty__action" onClick={() => show('repositories')}>Connect a primary</button>
        </div>
      ) : (
        <CheckForm />
      )}
      <div className="key-check" aria-live="polite" data-testid="key-check">
        {!check && primaries.length > 0 && <p className="muted key-check__none">No check run yet: give a repository above to see which key each server accepts.</p>}
        {check?.state === 'pending' && <p className="muted"><span className="spinner" aria-hidden="true" /> Trying every key on every server…</p>}
        {check?.state === 'error' && <ErrorMessage error={check.error} title="Could not check the keys." testId="key-check-error" />}
        {done && (
          <>
            <CheckMatrix check={done} />
            {checkWarnings.length > 0 ? (
              <Warnings warnings={checkWarnings} testId="key-check-warnings" />
            ) : (
              <p className="ok-text">No problems found.</p>
            )}
          </>
        )}
      </div>
    </section>
  );
}
