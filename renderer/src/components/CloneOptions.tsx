/** Where and how to clone: protocol, parent folder, optional folder name, depth/branch folded away. */
import { useId, useState, type FormEvent } from 'react';
import type { Candidate, DiscoveryResult } from '../../../shared/contract';
import { useCloneJobs } from '../state/stores';
import { SshReadinessNote, useSshReadiness } from './SshReadinessNote';
import { ErrorMessage } from './ErrorMessage';
import { desktopBridge } from '../bridge/desktop';

const parentKey = 'mirror-clone.parent-directory';

/**
 * `runId` scopes the folder name: a new repository starts with its own default name.
 * `server` is the candidate the clone would use (the recommendation or the user's pick).
 */
export function CloneOptions({ runId, result, source, server }: { runId: string; result?: DiscoveryResult; source: string; server?: Candidate }) {
  const start = useCloneJobs((state) => state.start);
  const starting = useCloneJobs((state) => state.starting);
  const startError = useCloneJobs((state) => state.startError);
  const [chosenProtocol, setProtocol] = useState<'http' | 'ssh'>('http');
  const [parentDirectory, setParentDirectory] = useState(() => localStorage.getItem(parentKey) ?? '');
  const [folder, setFolder] = useState({ runId, name: '' });
  const folderName = folder.runId === runId ? folder.name : '';
  const [depth, setDepth] = useState('');
  const [branch, setBranch] = useState('');
  const id = useId();
  const repository = result?.repository;
  const ssh = useSshReadiness(repository, server);
  // A choice SSH can no longer honour (another server picked, keys changed) falls back to HTTPS.
  const protocol = chosenProtocol === 'ssh' && !ssh.available ? 'http' : chosenProtocol;
  const desktop = desktopBridge();
  const choose = async () => {
    const folder = await desktop?.chooseFolder({ title: 'Clone into this folder', defaultPath: parentDirectory.trim() || undefined });
    if (folder) setParentDirectory(folder);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!repository || !parentDirectory.trim()) return;
    localStorage.setItem(parentKey, parentDirectory.trim());
    void start({
      repository: repository.cloneUrls.http ?? `${repository.projectKey}/${repository.slug}`,
      primary: repository.primaryBaseUrl,
      parentDirectory: parentDirectory.trim(),
      folderName: folderName.trim() || undefined,
      protocol,
      source,
      depth: depth ? Number(depth) : undefined,
      branch: branch.trim() || undefined,
    });
  };

  return (
    <form className="clone-options" onSubmit={submit} aria-label="Clone options">
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
          <input id={`${id}-parent`} type="text" required spellCheck={false} placeholder="/home/you/src" value={parentDirectory} onChange={(event) => setParentDirectory(event.target.value)} />
          {/* The native picker where the desktop shell offers one; the browser build has the text field only. */}
          {desktop && (
            <button type="button" className="button" onClick={() => void choose()}>
              Choose…
            </button>
          )}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-folder`}>Folder name <span className="muted">(optional)</span></label>
        <input id={`${id}-folder`} type="text" spellCheck={false} placeholder={repository?.slug ?? ''} value={folderName} onChange={(event) => setFolder({ runId, name: event.target.value })} />
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
        <button type="submit" className="button button--primary" disabled={starting || !repository || !parentDirectory.trim()}>
          {starting ? 'Starting…' : 'Clone'}
        </button>
      </div>
      {startError && <ErrorMessage error={startError} title="The clone did not start." />}
    </form>
  );
}
