/**
 * SSH keys: what is in ~/.ssh and the agent (each key with its warnings and their fix, and an
 * upload while the primary does not have it), making a key, and which server accepts which key
 * for a repository, with host keys to review and trust.
 */
import { useEffect, useState } from 'react';
import { useKeys, usePrimaries } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { KeyCard } from './KeyCard';
import { KeyCheckPanel } from './KeyCheckPanel';
import { KeyGeneratePanel } from './KeyGeneratePanel';
import { PathText } from './KeyText';

export function KeysSection() {
  const inventory = useKeys((state) => state.inventory);
  const loadError = useKeys((state) => state.loadError);
  const check = useKeys((state) => state.check);
  const refresh = useKeys((state) => state.refresh);
  const primaries = usePrimaries((state) => state.list) ?? [];
  const [generateOpen, setGenerateOpen] = useState(false);
  const done = check?.state === 'done' ? check.result : undefined;
  const primary = done?.primaryBaseUrl ?? inventory?.uploaded?.primaryBaseUrl ?? primaries[0]?.baseUrl;
  const primaryName = primaries.find((item) => item.baseUrl === primary)?.name ?? (primary ? new URL(primary).host : 'the primary');
  const keys = inventory?.keys ?? [];

  // Coming back to this page reads the folder and the primary's key list again: an upload, a key
  // added by hand or on the account page elsewhere shows without a reload.
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const uploadedOf = (id: string): boolean | null | undefined => {
    const listed = inventory?.uploaded?.primaryBaseUrl === primary ? inventory?.uploaded?.keys[id] : undefined;
    const checked = done?.uploaded[id];
    // Either source saying "on the primary" wins: an upload since the other was asked.
    if (listed === true || checked === true) return true;
    return listed ?? checked;
  };

  const openGenerate = () => {
    setGenerateOpen(true);
    document.getElementById('key-generate')?.scrollIntoView({ block: 'nearest' });
  };

  return (
    <section className="content__section keys" aria-labelledby="keys-title" aria-busy={!inventory && !loadError}>
      <h1 id="keys-title" className="content__title">SSH keys</h1>

      <h2 className="content__subtitle">Your keys</h2>
      {loadError && !inventory && <ErrorMessage error={loadError} title="Could not read your SSH keys." />}
      {!inventory && !loadError && <p className="muted key-list__placeholder">Reading ~/.ssh and the agent…</p>}
      {inventory && (
        <>
          <p className="muted key-list__where">
            In <code><PathText path={inventory.folder} /></code> · agent {inventory.agent.running ? 'running' : 'not running'}{inventory.agent.detail ? ` (${inventory.agent.detail})` : ''}
          </p>
          {keys.length === 0 ? (
            <div className="key-empty" data-testid="keys-empty">
              <p className="key-empty__title">No SSH keys yet</p>
              <p className="muted">Clones over SSH need a key. Generate one below and upload it to your primary.</p>
            </div>
          ) : (
            <ul className="key-list" data-testid="ssh-keys">
              {keys.map((key) => (
                <KeyCard
                  key={key.id}
                  sshKey={key}
                  uploaded={uploadedOf(key.id)}
                  checkWarnings={done ? done.warnings.filter((warning) => warning.key === key.id && !key.warnings.some((own) => own.code === warning.code)) : []}
                  primary={primary}
                  primaryName={primaryName}
                />
              ))}
            </ul>
          )}
        </>
      )}
      <KeyGeneratePanel open={generateOpen} setOpen={setGenerateOpen} primary={primary} primaryName={primaryName} />
      <KeyCheckPanel onGenerate={openGenerate} />
    </section>
  );
}
