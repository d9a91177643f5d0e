/**
 * Opening a clone in the user's programs: the file manager, a terminal, the editor. One group of
 * buttons for every place a clone is shown (its Local clones card, a finished clone job), and
 * the outcome line that goes with it. With no editor chosen and none found, the editor button
 * says what to do instead and leads to the setting.
 */
import type { CloneOpenTarget } from '../../../shared/contract';
import { useClones, useEditors, useNavigation, useSettings } from '../state/stores';
import type { OpenState } from '../state/clones-slice';
import { ErrorMessage } from './ErrorMessage';

const openTargets: { target: CloneOpenTarget; label: string }[] = [
  { target: 'folder', label: 'File manager' },
  { target: 'terminal', label: 'Terminal' },
  { target: 'editor', label: 'Editor' },
];

/** What the last Open of this clone did: started a program, or why not. */
export function OpenOutcome({ path, className = 'open-outcome' }: { path: string; className?: string }) {
  const state: OpenState | undefined = useClones((current) => current.opens[path]);
  const label = state && openTargets.find((entry) => entry.target === state.target)?.label.toLowerCase();
  return (
    <div className={className} aria-live="polite" data-testid="open-result">
      {state?.state === 'pending' && <span className="muted">Opening the {label}…</span>}
      {state?.state === 'error' && <ErrorMessage error={state.error} title={`Could not open the ${label}.`} />}
      {state?.state === 'done' && <span className="muted">Opened with {state.program}.</span>}
    </div>
  );
}

/** The buttons: "Open in" File manager, Terminal, Editor (or "Choose an editor…"). */
export function OpenActions({ path, name }: { path: string; name: string }) {
  const openState = useClones((state) => state.opens[path]);
  const open = useClones((state) => state.open);
  const editorChosen = useSettings((state) => state.settings?.editor !== undefined);
  const noEditorFound = useEditors((state) => state.detected !== undefined && state.detected.length === 0);
  const requestEditorFocus = useEditors((state) => state.requestFocus);
  const show = useNavigation((state) => state.show);
  const pending = openState?.state === 'pending';
  return (
    <div className="clone-open" role="group" aria-label={`Open ${name} in`}>
      <span className="clone-open__label muted" aria-hidden="true">Open in</span>
      {openTargets.map(({ target, label }) =>
        target === 'editor' && !editorChosen && noEditorFound ? (
          <button
            key={target}
            type="button"
            className="button button--small"
            data-testid="choose-editor"
            onClick={() => {
              requestEditorFocus(true);
              show('settings');
            }}
          >
            Choose an editor…
          </button>
        ) : (
          <button
            key={target}
            type="button"
            className="button button--small"
            aria-label={`Open in ${label.toLowerCase()}`}
            aria-disabled={pending}
            onClick={() => !pending && void open(path, target)}
          >
            {label}
          </button>
        ),
      )}
    </div>
  );
}
