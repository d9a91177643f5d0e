/**
 * Local mirrors: bare copies the helper keeps on this machine so new clones take their objects
 * from local disk. The list changes live with the helper's events; the disk quota is shown
 * against its setting (changed in Settings, not here).
 */
import { useState, type FormEvent } from 'react';
import { formatBytes } from '../format';
import { totalSize } from '../state/local-mirrors-slice';
import { useLocalMirrors, useNavigation, usePrimaries } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { LocalMirrorCard } from './LocalMirrorCard';

function AddMirrorForm() {
  const primaries = usePrimaries((state) => state.list);
  const adding = useLocalMirrors((state) => state.adding);
  const add = useLocalMirrors((state) => state.add);
  const show = useNavigation((state) => state.show);
  const [repository, setRepository] = useState('');
  const [primary, setPrimary] = useState('');
  const pending = adding?.state === 'pending';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending || !repository.trim()) return;
    if (await add(repository.trim(), primary || primaries?.[0]?.baseUrl)) setRepository('');
  };
  if (primaries && primaries.length === 0) {
    return (
      <div className="mirrors-empty">
        <p className="mirrors-empty__title">Connect a primary first</p>
        <p className="muted">A local mirror is made from a repository on a Bitbucket primary you are connected to.</p>
        <button type="button" className="button" onClick={() => show('repositories')}>
          Connect a primary
        </button>
      </div>
    );
  }
  return (
    <form className="mirror-add panel" onSubmit={(event) => void submit(event)} aria-labelledby="mirror-add-title">
      <h2 id="mirror-add-title" className="content__subtitle">Add a local mirror</h2>
      <div className="mirror-add__row">
        <div className="field">
          <label htmlFor="mirror-add-repository">Repository <span className="muted">(URL or PROJECT/repo)</span></label>
          <input id="mirror-add-repository" type="text" value={repository} onChange={(event) => setRepository(event.target.value)} placeholder="PROJ/repo" autoComplete="off" spellCheck={false} />
        </div>
        {primaries && primaries.length > 1 && (
          <div className="field field--primary">
            <label htmlFor="mirror-add-primary">Primary</label>
            <select id="mirror-add-primary" value={primary || primaries[0]!.baseUrl} onChange={(event) => setPrimary(event.target.value)}>
              {primaries.map((entry) => (
                <option key={entry.baseUrl} value={entry.baseUrl}>{entry.name}</option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="button button--primary" aria-disabled={pending || !repository.trim()}>
          {pending ? 'Adding…' : 'Add'}
        </button>
      </div>
      <div className="mirror-add__status" aria-live="polite" data-testid="mirror-add-status">
        {adding?.state === 'pending' && (
          <span className="muted">
            <span className="spinner" aria-hidden="true" /> Copying {adding.repository} from the closest server, then whatever it lacks from the primary…
          </span>
        )}
        {adding?.state === 'done' && <span className="ok-text">Added {adding.mirror.projectKey}/{adding.mirror.slug}, copied from {adding.mirror.source.name}.</span>}
        {adding?.state === 'error' && <ErrorMessage error={adding.error} title={`Could not add ${adding.repository}.`} />}
      </div>
    </form>
  );
}

function UsageAndSync() {
  const list = useLocalMirrors((state) => state.list);
  const quota = useLocalMirrors((state) => state.quotaBytes);
  const status = useLocalMirrors((state) => state.status);
  const pausing = useLocalMirrors((state) => state.pausing);
  const setPaused = useLocalMirrors((state) => state.setPaused);
  const evicted = useLocalMirrors((state) => state.evicted);
  const used = totalSize(list);
  const over = typeof quota === 'number' && used > quota;
  return (
    <div className="mirrors__bar">
      <div className={`mirrors__usage${over ? ' mirrors__usage--over' : ''}`} data-testid="mirrors-usage">
        <p className="mirrors__usage-text">
          {typeof quota === 'number' ? `${formatBytes(used)} of ${formatBytes(quota)} used` : `${formatBytes(used)} used · no disk limit set`}
          <span className="muted"> (the limit is set in Settings; past it, the least recently used local mirror is removed)</span>
        </p>
        {typeof quota === 'number' && (
          <div className="progress" role="progressbar" aria-label="Disk space used by local mirrors" aria-valuemin={0} aria-valuemax={quota} aria-valuenow={Math.min(used, quota)} aria-valuetext={`${formatBytes(used)} of ${formatBytes(quota)}`}>
            <div className="progress__fill" style={{ width: `${quota > 0 ? Math.min(100, (used / quota) * 100) : 100}%` }} />
          </div>
        )}
        {evicted.length > 0 && (
          <p className="mirrors__evicted" data-testid="mirrors-evicted" role="status">
            Removed to stay within the disk limit: {evicted.join(', ')}.
          </p>
        )}
      </div>
      {status?.scheduled && (
        <div className="mirrors__sync" data-testid="background-sync">
          <span>
            Background sync: <strong>{status.paused ? 'paused' : 'on'}</strong>
            <span className="muted">{status.paused ? ' — local mirrors are synced only when you ask' : ' — every few minutes, with backoff on failures'}</span>
          </span>
          <button type="button" className="button button--small" aria-disabled={pausing?.pending} onClick={() => !pausing?.pending && void setPaused(!status.paused)}>
            {status.paused ? 'Resume background sync' : 'Pause background sync'}
          </button>
          {pausing && !pausing.pending && pausing.error && <ErrorMessage error={pausing.error} title="Could not change it." />}
        </div>
      )}
    </div>
  );
}

export function LocalMirrorsSection() {
  const list = useLocalMirrors((state) => state.list);
  const loadError = useLocalMirrors((state) => state.loadError);
  const adding = useLocalMirrors((state) => state.adding);
  return (
    <section className="content__section mirrors" aria-labelledby="mirrors-title" aria-busy={!list}>
      <h1 id="mirrors-title" className="content__title">Local mirrors</h1>
      <p className="mirrors__intro muted">
        A local mirror is a copy of a repository kept on this machine and synced in the background. New clones of it take their objects from
        local disk, so only the latest changes travel over the network. Clones never depend on it: removing one breaks nothing.
      </p>
      {loadError && !list && <ErrorMessage error={loadError} title="Could not read the local mirrors." />}
      <UsageAndSync />
      <AddMirrorForm />
      {!list && !loadError && <p className="muted">Loading…</p>}
      {list && list.length === 0 && adding?.state !== 'pending' && (
        <div className="mirrors-empty" data-testid="mirrors-empty">
          <p className="mirrors-empty__title">No local mirrors yet</p>
          <p className="muted">
            Add one for a big repository you clone often, or that several people on this machine clone: each new clone then fetches only what
            changed since the last sync.
          </p>
        </div>
      )}
      {list && (list.length > 0 || adding?.state === 'pending') && (
        <ul className="mirror-list" data-testid="local-mirrors">
          {list.map((mirror) => <LocalMirrorCard key={mirror.id} mirror={mirror} />)}
          {adding?.state === 'pending' && !list.some((mirror) => `${mirror.projectKey}/${mirror.slug}` === adding.repository) && (
            <li className="mirror-card mirror-card--pending" data-testid="local-mirror-pending" data-state="syncing">
              <div className="mirror-card__head">
                <span className="mirror-card__name">{adding.repository}</span>
                <span className="pill pill--accent"><span className="spinner" aria-hidden="true" /> Syncing</span>
              </div>
              <p className="muted mirror-card__note">Making the first copy. It appears here with its size when it is ready.</p>
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
