/**
 * Step 4: where the repositories go, and the one confirmation. Everything the batch will do is
 * said above the button: what, from where, into which folders, over which protocol.
 */
import { useId } from 'react';
import { useBrowse, usePrimaries, useSettings, useSetup } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';
import { SetupNav } from './SetupNav';
import { selectionWords } from './SetupChooseStep';

export function SetupGoStep() {
  const defaultFolder = useSettings((state) => state.settings?.defaultCloneFolder);
  const typedFolder = useSetup((state) => state.typedFolder);
  const setFolder = useSetup((state) => state.setFolder);
  const layout = useSetup((state) => state.layout);
  const setLayout = useSetup((state) => state.setLayout);
  const protocol = useSetup((state) => state.protocol);
  const teamFile = useSetup((state) => state.teamFile);
  const projects = useSetup((state) => state.projects);
  const go = useSetup((state) => state.go);
  const goError = useSetup((state) => state.goError);
  const primaryUrl = useSetup((state) => state.primary);
  const primaryName = usePrimaries((state) => state.list?.find((item) => item.baseUrl === primaryUrl)?.name);
  const checked = useBrowse((state) => Object.keys(state.checked).length);
  const starting = useSetup((state) => state.starting);
  const id = useId();
  const folder = (typedFolder ?? defaultFolder ?? '').trim();
  const what = selectionWords(teamFile ? teamFile.team.repositories.length : checked, teamFile ? teamFile.team.projects : projects);

  return (
    <div className="setup__body">
      <div className="setup__folder">
        <div className="field">
          <label htmlFor={`${id}-folder`}>Folder the repositories go into</label>
          <input id={`${id}-folder`} type="text" spellCheck={false} autoComplete="off" value={typedFolder ?? defaultFolder ?? ''} onChange={(event) => setFolder(event.target.value)} data-testid="setup-folder" />
        </div>
        <label className="setup__option">
          <input type="checkbox" checked={layout === 'by-project'} onChange={(event) => setLayout(event.target.checked ? 'by-project' : 'flat')} data-testid="setup-by-project" />
          A folder per project
        </label>
      </div>
      <dl className="setup__plan" data-testid="setup-plan">
        <div><dt>What</dt><dd>{what}{teamFile ? ` (from ${teamFile.name})` : ''}</dd></div>
        <div><dt>From</dt><dd>each repository from the mirror closest to you, else {primaryName ?? 'the primary'}; pushes go to {primaryName ?? 'the primary'}</dd></div>
        <div><dt>Into</dt><dd>{folder ? <code>{folder}/{layout === 'by-project' ? 'PROJECT/' : ''}&lt;repository&gt;</code> : 'type a folder above'}</dd></div>
        <div><dt>Over</dt><dd>{protocol === 'ssh' ? 'SSH' : 'HTTPS'}</dd></div>
      </dl>
      <p className="muted">Finished clones already in those folders are left alone. Several run at once, as many as your link carries well.</p>
      {goError && <ErrorMessage error={goError} title="Could not start cloning." testId="setup-go-error" />}
      <SetupNav next={{ label: starting ? 'Starting…' : `Clone ${what}`, onNext: () => void go(folder), blocked: folder ? undefined : 'Type the folder first.', busy: starting, testId: 'setup-go' }} />
    </div>
  );
}
