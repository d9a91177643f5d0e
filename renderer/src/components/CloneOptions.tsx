/**
 * Where and how to clone: protocol, parent folder (the default clone folder from Settings until
 * changed here, then offered as the new default), optional folder name, depth/branch folded away.
 * The destination is checked as it is typed; Clone says why whenever it cannot start, and a
 * started clone's card is brought into view.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Candidate, DiscoveryResult } from '../../../shared/contract';
import { useCloneBatches, useCloneDestination, useCloneJobs, useNavigation, useSettings } from '../state/stores';
import { SshReadinessNote, useSshReadiness } from './SshReadinessNote';
import { cloneBlockedReason } from '../state/clone-readiness';
import { sameRequest } from '../state/clone-destination-slice';
import { ErrorMessage } from './ErrorMessage';
import { CloneDestination } from './CloneDestination';
import { desktopBridge } from '../bridge/desktop';

/** Brings a just-started clone's card into view once it is rendered (a few frames at most). */
function revealJob(jobId: string, framesLeft = 10): void {
  const card = document.querySelector(`[data-job-id="${CSS.escape(jobId)}"]`);
  if (card) card.scrollIntoView({ block: 'nearest' });
  else if (framesLeft > 0) requestAnimationFrame(() => revealJob(jobId, framesLeft - 1));
}

/**
 * `runId` scopes the folder name: a new repository starts with its own default name.
 * `server` is the candidate the clone would use (the recommendation or the user's pick).
 */
export function CloneOptions({ runId, result, source, server }: { runId: string; result?: DiscoveryResult; source: string; server?: Candidate }) {
  const start = useCloneJobs((state) => state.start);
  const starting = useCloneJobs((state) => state.starting);
  const startError = useCloneJobs((state) => state.startError);
  const [chosenProtocol, setProtocol] = useState<'http' | 'ssh'>('http');
  const defaultFolder = useSettings((state) => state.settings?.defaultCloneFolder);
  const saveSetting = useSettings((state) => state.save);
  const defaultSave = useSettings((state) => state.saves.defaultCloneFolder);
  // Typed here (or chosen with the picker) this session; until then the default clone folder.
  const typedParent = useCloneDestination((state) => state.parentDirectory);
  const setParentDirectory = useCloneDestination((state) => state.setParentDirectory);
  const parentDirectory = typedParent ?? defaultFolder ?? '';
  const [folder, setFolder] = useState({ runId, name: '' });
  const folderName = folder.runId === runId ? folder.name : '';
  const [depth, setDepth] = useState('');
  const [branch, setBranch] = useState('');
  const id = useId();
  const repository = result?.repository;
  const showSection = useNavigation((state) => state.show);
  const destination = useCloneDestination((state) => state);
  // A clone that ended may have filled the folder the fields point at: check it again then. Keyed
  // by the latest end (a count of finished cards also moves when one is dismissed, and stays put
  // when one ends as another is dismissed).
  const lastFinishedAt = useCloneJobs((state) => Object.values(state.jobs).reduce<string | undefined>((latest, job) => (job.finishedAt && (!latest || job.finishedAt > latest) ? job.finishedAt : latest), undefined));
  // A batch that starts creates its folder (which may be the one the fields point at): check again then too.
  const lastBatchAt = useCloneBatches((state) => Object.values(state.batches).reduce<string | undefined>((latest, batch) => (!latest || batch.startedAt > latest ? batch.startedAt : latest), undefined));
  const checkDestination = destination.check;
  const ssh = useSshReadiness(repository, server);
  // A choice SSH can no longer honour (another server picked, keys changed) falls back to HTTPS.
  const protocol = chosenProtocol === 'ssh' && !ssh.available ? 'http' : chosenProtocol;
  const desktop = desktopBridge();
  const choose = async () => {
    const folder = await desktop?.chooseFolder({ title: 'Clone into this folder', defaultPath: parentDirectory.trim() || undefined });
    if (folder) setParentDirectory(folder);
  };

  // Checked as typed (the slice waits for a pause), for the repository this panel shows.
  const request = repository
    ? { parentDirectory: parentDirectory.trim(), name: folderName.trim(), repository: { primaryBaseUrl: repository.primaryBaseUrl, projectKey: repository.projectKey, slug: repository.slug } }
    : undefined;
  const requestKey = JSON.stringify(request ?? null);
  useEffect(() => {
    if (request && request.parentDirectory) checkDestination(request);
    // requestKey stands for request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey, checkDestination]);
  useEffect(() => {
    if (request && request.parentDirectory && (lastFinishedAt || lastBatchAt)) checkDestination(request, { immediate: true });
    // Only when another clone ends or a batch starts; typing is handled above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastFinishedAt, lastBatchAt]);
  const check = request && sameRequest(destination.request, request) && !destination.pending ? destination.result : undefined;
  const blocked = cloneBlockedReason({ hasRepository: Boolean(repository), measuring: !result, parentDirectory, check });
  const canUseAsDefault = typedParent !== undefined && parentDirectory.trim() !== '' && parentDirectory.trim() !== defaultFolder && check?.state !== 'invalid' && check?.state !== 'not-writable';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!repository || !request || blocked || starting) return;
    // The fields may have changed a moment ago: the helper looks once more before anything starts.
    const verdict = await destination.checkNow(request);
    if (verdict?.state !== 'ok') return;
    const jobId = await start({
      repository: repository.cloneUrls.http ?? `${repository.projectKey}/${repository.slug}`,
      primary: repository.primaryBaseUrl,
      parentDirectory: parentDirectory.trim(),
      folderName: folderName.trim() || undefined,
      protocol,
      source,
      depth: depth ? Number(depth) : undefined,
      branch: branch.trim() || undefined,
    });
    if (jobId) revealJob(jobId);
  };

  return (
    <form className="clone-options" onSubmit={(event) => void submit(event)} aria-label="Clone options">
      <fieldset className="segmented">
        <legend>Protocol</legend>
        {(['http', 'ssh'] as const).map((value) => (
          <label key={value} className="segmented__option">
            <input type="radio" name={`${id}-protocol`} value={value} checked={protocol === value} disabled={value === 'ssh' && !ssh.available} aria-describedby={value === 'ssh' ? `${id}-ssh` : undefined} onChange={() => setProtocol(value)} />
            <span>{value === 'http' ? 'HTTPS' : 'SSH'}</span>
          </label>
        ))}
      </fieldset>
      <SshReadinessNote id={`${id}-ssh`} readiness={ssh} repository={repository} />
      <div className="field field--grow">
        <label htmlFor={`${id}-parent`}>Parent folder</label>
        <div className="field__with-button">
          <input
            id={`${id}-parent`}
            type="text"
            required
            spellCheck={false}
            value={parentDirectory}
            aria-describedby={`${id}-destination`}
            aria-invalid={check && check.state !== 'ok' && check.state !== 'exists' ? true : undefined}
            onChange={(event) => setParentDirectory(event.target.value)}
          />
          {/* The native picker where the desktop shell offers one; the browser build has the text field only. */}
          {desktop && (
            <button type="button" className="button" onClick={() => void choose()}>
              Choose…
            </button>
          )}
        </div>
        {defaultSave?.state === 'error' && <ErrorMessage error={defaultSave.error} title="Not saved as the default." />}
      </div>
      <div className="field">
        <label htmlFor={`${id}-folder`}>Folder name <span className="muted">(optional)</span></label>
        <input
          id={`${id}-folder`}
          type="text"
          spellCheck={false}
          placeholder={repository?.slug ?? ''}
          value={folderName}
          aria-describedby={`${id}-destination`}
          aria-invalid={check && check.state !== 'ok' && check.state !== 'parent-missing' ? true : undefined}
          onChange={(event) => setFolder({ runId, name: event.target.value })}
        />
      </div>
      <details className="clone-options__more">
        <summary>Depth and branch</summary>
        <div className="clone-options__more-fields">
          <div className="field">
            <label htmlFor={`${id}-depth`}>Depth <span className="muted">(empty: full history)</span></label>
            <input id={`${id}-depth`} type="number" min={1} value={depth} onChange={(event) => setDepth(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-branch`}>Branch <span className="muted">(empty: the default)</span></label>
            <input id={`${id}-branch`} type="text" spellCheck={false} value={branch} onChange={(event) => setBranch(event.target.value)} />
          </div>
        </div>
      </details>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={starting || blocked !== undefined} aria-describedby={`${id}-destination`}>
          {starting ? 'Starting…' : 'Clone'}
        </button>
      </div>
      <CloneDestination
        id={`${id}-destination`}
        blocked={blocked}
        check={check}
        checking={Boolean(request?.parentDirectory) && !check}
        checkError={request && sameRequest(destination.request, request) ? destination.error : undefined}
        creating={destination.creating}
        createError={destination.createError}
        onCreate={() => void destination.createParent()}
        onShowClones={() => showSection('clones')}
      >
        {/* Offered once the parent folder differs from the default, confirmed once saved. */}
        {canUseAsDefault && (
          <button type="button" className="link-button" onClick={() => void saveSetting('defaultCloneFolder', { defaultCloneFolder: parentDirectory.trim() })} disabled={defaultSave?.state === 'pending'}>
            Use this parent folder as the default
          </button>
        )}
        {!canUseAsDefault && !blocked && typedParent !== undefined && defaultSave?.state === 'saved' && parentDirectory.trim() === defaultFolder && (
          <span className="ok-text" role="status">Saved as the default clone folder</span>
        )}
      </CloneDestination>
      {startError && <ErrorMessage error={startError} title="The clone did not start." />}
    </form>
  );
}
