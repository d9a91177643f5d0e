/**
 * "Check against servers": which server (primary, mirrors) accepts which key for a repository,
 * the problems found with their fix, and the host keys of servers not trusted yet, to review and
 * trust here. With no key there is nothing to check, and it says so (never "no problems").
 */
import { useId, useState, type FormEvent } from 'react';
import { useDiscovery, useKeys, useNavigation, usePrimaries } from '../state/stores';
import type { KeyCheck, KeyWarning } from '../state/keys-slice';
import { ErrorMessage } from './ErrorMessage';
import { TrustHostKeys } from './HostKeyPrompt';
import { Warnings, typeName } from './KeyCard';
import { PathText, PathsInText } from './KeyText';

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

/** A detail may hold a path: it wraps after a slash, never inside a name. */
function Detail({ text }: { text: string }) {
  return <span className="key-matrix__detail"><PathsInText text={text} /></span>;
}

export function CheckMatrix({ check }: { check: KeyCheck }) {
  const keys = check.inventory.keys.filter((key) => check.servers.some((server) => server.results.some((result) => result.key === key.id)));
  return (
    // Focusable, so a keyboard can scroll it sideways when the keys do not fit.
    <div className="key-matrix__scroll" tabIndex={0} role="region" aria-label="Which server accepts which key">
      <table className="key-matrix" data-testid="key-matrix">
        <caption className="visually-hidden">Which server accepts which key</caption>
        <thead>
          <tr>
            <th scope="col">Server</th>
            {keys.map((key) => <th scope="col" key={key.id} data-key={key.fingerprint}>{key.name}{key.type && <span className="key-matrix__type">{typeName(key.type)}</span>}</th>)}
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
                    {result?.detail && result.outcome !== 'accepted' && result.outcome !== 'host-key-unknown' && <Detail text={result.detail} />}
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

/** Servers whose host key is not trusted: what they present, and trusting it here. */
export function HostKeysReview({ check }: { check: KeyCheck }) {
  const unknown = check.servers.filter((server) => server.unknownHostKeys);
  if (unknown.length === 0) return null;
  const hosts = unknown.flatMap((server) => server.unknownHostKeys!);
  return (
    <div className="key-hosts" data-testid="key-host-review">
      <h3 className="key-hosts__title">Host keys to review</h3>
      <p className="muted key-hosts__intro">
        {unknown.map((server) => server.name).join(', ')} {unknown.length === 1 ? 'is' : 'are'} not in <code><PathText path={check.knownHostsFile} /></code> yet, so no key could be tried there.
        Compare each fingerprint with the one your Bitbucket administrators publish, then trust it.
      </p>
      <TrustHostKeys hosts={hosts} label={hosts.length > 1 ? 'Trust these keys and check again' : 'Trust this key and check again'} testId="key-host-keys" />
    </div>
  );
}

export function KeyCheckPanel({ onGenerate }: { onGenerate(): void }) {
  const inventory = useKeys((state) => state.inventory);
  const check = useKeys((state) => state.check);
  const primaries = usePrimaries((state) => state.list) ?? [];
  const primariesLoaded = usePrimaries((state) => state.list !== undefined);
  const show = useNavigation((state) => state.show);
  const done = check?.state === 'done' ? check.result : undefined;
  const noKeys = (inventory !== undefined && inventory.keys.length === 0) || (done !== undefined && done.inventory.keys.length === 0);
  // Warnings about one key are shown under that key; here the servers' own.
  const serverWarnings: KeyWarning[] = done ? done.warnings.filter((warning) => !warning.key && warning.code !== 'host-key-unknown') : [];
  const allAccepted = done ? done.servers.length > 0 && done.servers.every((server) => server.results.some((result) => result.outcome === 'accepted')) : false;
  const keyWarnings = done ? done.warnings.filter((warning) => warning.key).length : 0;

  return (
    <>
      <h2 className="content__subtitle key-check__title">Check against servers</h2>
      <p className="muted key-check__intro">Tries each key on the primary and every mirror holding the repository, as git would, without cloning anything.</p>
      {primariesLoaded && primaries.length === 0 && !check ? (
        <div className="key-empty" data-testid="keys-no-primary">
          <p className="key-empty__title">No primary connected</p>
          <p className="muted">The check asks the primary which mirrors hold the repository.</p>
          <button type="button" className="button button--small key-empty__action" onClick={() => show('repositories')}>Connect a primary</button>
        </div>
      ) : noKeys ? (
        <div className="key-empty" data-testid="keys-none-to-check">
          <p className="key-empty__title">No keys to check</p>
          <p className="muted">
            You have no SSH key yet, so no server can accept one. Generate a key, or copy an existing key pair (for example <code>id_ed25519</code> and <code>id_ed25519.pub</code>) into {inventory ? <code><PathText path={inventory.folder} /></code> : '~/.ssh'}.
          </p>
          <button type="button" className="button button--small key-empty__action" onClick={onGenerate}>Generate a key</button>
        </div>
      ) : (
        <CheckForm />
      )}
      {!noKeys && (
        <div className="key-check" aria-live="polite" data-testid="key-check">
          {!check && primaries.length > 0 && <p className="muted key-check__none">No check run yet: give a repository above to see which key each server accepts.</p>}
          {check?.state === 'pending' && <p className="muted"><span className="spinner" aria-hidden="true" /> Trying every key on every server…</p>}
          {check?.state === 'error' && <ErrorMessage error={check.error} title="Could not check the keys." testId="key-check-error" />}
          {done && (
            <>
              <CheckMatrix check={done} />
              <HostKeysReview check={done} />
              {serverWarnings.length > 0 && <Warnings warnings={serverWarnings} testId="key-check-warnings" />}
              {!allAccepted && serverWarnings.length === 0 && !done.servers.some((server) => server.unknownHostKeys) && (
                <p className="warn-text" data-testid="key-check-not-ok">Not every server accepts one of your keys: see the warnings under your keys above.</p>
              )}
              {allAccepted && serverWarnings.length === 0 && (
                <p className="ok-text" data-testid="key-check-ok">
                  Every server accepts one of your keys{keyWarnings > 0 ? '; see the warnings under your keys above.' : '. No problems found.'}
                </p>
              )}
            </>
          )}
        </div>
      )}
    </>
  );
}
