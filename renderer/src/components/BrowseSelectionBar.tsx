/**
 * Below the repository list: clone the checked repositories, or every repository of the project
 * the list is narrowed to, in one step (one batch, `clone.batchStart`), into the default clone
 * folder unless another is typed here, optionally a folder per project. The batch's card then
 * comes into view in the list of clones.
 */
import { useId, useState } from 'react';
import { useBrowse, useCloneBatches, useSettings } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { saveTeamFile } from './TeamFilePanel';
import { formatRepositoryCount } from '../../../shared/format';

/** Brings a new batch's card into view once it has rendered (it may take a frame or two). */
export function revealBatch(batchId: string, framesLeft = 30): void {
  const card = document.querySelector(`[data-batch-id="${CSS.escape(batchId)}"]`);
  if (card) card.scrollIntoView({ block: 'nearest' });
  else if (framesLeft > 0) requestAnimationFrame(() => revealBatch(batchId, framesLeft - 1));
}


export function BrowseSelectionBar({ primary }: { primary: string }) {
  const checked = useBrowse((state) => state.checked);
  const clearChecked = useBrowse((state) => state.clearChecked);
  const projectKey = useBrowse((state) => state.projectKey);
  const defaultFolder = useSettings((state) => state.settings?.defaultCloneFolder);
  const start = useCloneBatches((state) => state.start);
  const starting = useCloneBatches((state) => state.starting);
  const startError = useCloneBatches((state) => state.startError);
  const [typedParent, setTypedParent] = useState<string | undefined>(undefined);
  const [byProject, setByProject] = useState(false);
  const id = useId();
  const parentDirectory = (typedParent ?? defaultFolder ?? '').trim();
  const keys = Object.keys(checked);
  if (keys.length === 0 && !projectKey) return null;

  const go = async (what: { repositories: string[] } | { projects: string[] }) => {
    const batchId = await start({ primary, parentDirectory, layout: byProject ? 'by-project' : 'flat', ...what });
    if (!batchId) return;
    if ('repositories' in what) clearChecked();
    revealBatch(batchId);
  };
  const noFolder = parentDirectory === '';

  return (
    <div className="batchbar" role="group" aria-labelledby={`${id}-what`} data-testid="browse-selection">
      <div className="batchbar__row">
        <span id={`${id}-what`} className="batchbar__what" data-testid="browse-checked-count">
          {keys.length === 0 ? 'Clone several' : `${formatRepositoryCount(keys.length)} checked`}
        </span>
        {keys.length > 0 && (
          <>
            <button type="button" className="button button--small button--quiet" onClick={clearChecked}>Uncheck all</button>
            <button type="button" className="button button--small button--quiet" onClick={() => saveTeamFile(primary, keys, byProject ? 'by-project' : 'flat')} title="A file a new team member opens to clone these, each from their own closest mirror" data-testid="save-team-file">
              Save as team file
            </button>
          </>
        )}
        <label className="batchbar__folder">
          <span>Into</span>
          <input type="text" value={typedParent ?? defaultFolder ?? ''} onChange={(event) => setTypedParent(event.target.value)} spellCheck={false} aria-label="Clone several into this folder" data-testid="batch-parent" />
        </label>
        <label className="batchbar__layout">
          <input type="checkbox" checked={byProject} onChange={(event) => setByProject(event.target.checked)} data-testid="batch-by-project" />
          A folder per project
        </label>
        <span className="batchbar__actions">
          {projectKey && (
            <button type="button" className="button button--small" onClick={() => void go({ projects: [projectKey] })} disabled={starting || noFolder} data-testid="clone-project">
              Clone all of {projectKey}
            </button>
          )}
          {keys.length > 0 && (
            <button type="button" className="button button--small button--primary" onClick={() => void go({ repositories: keys })} disabled={starting || noFolder} data-testid="clone-checked">
              {starting ? 'Starting…' : `Clone ${formatRepositoryCount(keys.length)}`}
            </button>
          )}
        </span>
      </div>
      <p className="batchbar__where muted" data-testid="batch-where">
        {noFolder ? 'Type the folder the repositories go into.' : `Each into ${parentDirectory}/${byProject ? 'PROJECT/' : ''}<repository>, from its closest mirror. Finished clones already there are left alone.${projectKey ? ` All of ${projectKey} leaves its archived repositories out.` : ''}`}
      </p>
      {startError && <ErrorMessage error={startError} title="Could not start cloning." testId="batch-start-error" />}
    </div>
  );
}
