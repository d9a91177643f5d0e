/**
 * The editor setting: which program "Editor" opens a clone with. The editors found on this
 * machine are offered, or any command; "Automatic" uses the first one found. It saves itself as
 * it changes (a choice at once, a typed command when the field is left or Enter is pressed) and
 * says "Saved" or why not right beside it.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useEditors, useSettings } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';

const automatic = 'automatic';
const custom = 'custom';

export function EditorSetting() {
  const settings = useSettings((state) => state.settings);
  const save = useSettings((state) => state.save);
  const clearSave = useSettings((state) => state.clearSave);
  const saveState = useSettings((state) => state.saves.editor);
  const detected = useEditors((state) => state.detected);
  const detectError = useEditors((state) => state.loadError);
  const refreshDetected = useEditors((state) => state.refresh);
  const focusRequested = useEditors((state) => state.focusRequested);
  const requestFocus = useEditors((state) => state.requestFocus);
  const [customChosen, setCustomChosen] = useState(false);
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const select = useRef<HTMLSelectElement>(null);
  const commandField = useRef<HTMLInputElement>(null);
  const id = useId();

  // An editor installed since the page loaded shows up when the setting is looked at.
  useEffect(() => void refreshDetected(), [refreshDetected]);
  useEffect(() => {
    if (!focusRequested || !select.current) return;
    select.current.scrollIntoView({ block: 'center' });
    select.current.focus({ preventScroll: true });
    requestFocus(false);
  }, [focusRequested, requestFocus]);

  const saved = settings?.editor;
  const foundIndex = saved === undefined ? -1 : (detected ?? []).findIndex((editor) => editor.command === saved);
  const choice = customChosen || (saved !== undefined && foundIndex < 0) ? custom : saved === undefined ? automatic : `found:${foundIndex}`;
  const command = draft ?? (choice === custom ? (saved ?? '') : '');
  const pending = saveState?.state === 'pending';
  const first = detected?.[0];

  const choose = async (value: string) => {
    clearSave('editor');
    setDraft(undefined);
    if (value === custom) {
      setCustomChosen(true);
      // The field appears with this render; the command is typed there.
      requestAnimationFrame(() => commandField.current?.focus());
      return;
    }
    setCustomChosen(false);
    const editor = value === automatic ? null : (detected?.[Number(value.slice('found:'.length))]?.command ?? null);
    await save('editor', { editor });
  };

  const saveCommand = async (event?: FormEvent) => {
    event?.preventDefault();
    const line = command.trim();
    if (pending || !line || line === saved) return;
    if (await save('editor', { editor: line })) {
      setDraft(undefined);
      setCustomChosen(false);
    }
  };

  const foundText = detectError
    ? 'The editors on this machine could not be listed.'
    : detected === undefined
      ? 'Looking for editors…'
      : first
        ? `Found on this machine: ${detected.map((editor) => editor.name).join(', ')}.`
        : 'No editor was found on this machine: choose "Another command" and give yours (e.g. code, subl or the full path of its program).';

  return (
    <div className="setting editor-setting">
      <div className="setting__about">
        <label className="setting__title" htmlFor={`${id}-editor`}>Editor</label>
        <p className="setting__help" id={`${id}-help`}>
          What <strong>Editor</strong> on a clone opens it with. The program is started directly with the clone&apos;s folder, never through a shell.
        </p>
      </div>
      <div className="setting__control">
        <form className="setting__form" noValidate onSubmit={(event) => void saveCommand(event)}>
          <div className="setting__inputs">
            <select
              id={`${id}-editor`}
              ref={select}
              className="editor-setting__select"
              value={choice}
              disabled={settings === undefined}
              aria-describedby={`${id}-found`}
              onChange={(event) => void choose(event.target.value)}
              data-testid="editor-choice"
            >
              <option value={automatic}>{first ? `Automatic: ${first.name}` : 'Automatic: none found'}</option>
              {(detected ?? []).map((editor, index) => (
                <option key={editor.command} value={`found:${index}`}>{editor.name}</option>
              ))}
              <option value={custom}>Another command…</option>
            </select>
            <span className="setting__status" aria-live="polite" data-testid="editor-status">
              {pending && <><span className="spinner" aria-hidden="true" /> Saving…</>}
              {saveState?.state === 'saved' && <span className="ok-text">Saved</span>}
            </span>
          </div>
          {choice === custom && (
            <div className="setting__inputs">
              <label className="visually-hidden" htmlFor={`${id}-command`}>Editor command</label>
              <input
                id={`${id}-command`}
                ref={commandField}
                className="setting__path"
                type="text"
                spellCheck={false}
                autoComplete="off"
                placeholder="code --new-window"
                value={command}
                aria-describedby={`${id}-command-help`}
                aria-invalid={saveState?.state === 'error' ? true : undefined}
                onChange={(event) => {
                  setDraft(event.target.value);
                  clearSave('editor');
                }}
                onBlur={() => void saveCommand()}
                data-testid="editor-command"
              />
            </div>
          )}
          {choice === custom && (
            <p className="setting__now muted" id={`${id}-command-help`}>
              A program on PATH or its full path, then any options (quote parts with spaces). The clone&apos;s folder is added at the end. Saved when you press Enter or leave the field.
            </p>
          )}
          <p className="setting__now muted" id={`${id}-found`} data-testid="editors-found">{foundText}</p>
          {saveState?.state === 'error' && <ErrorMessage error={saveState.error} title="Editor not saved." testId="editor-error" />}
        </form>
      </div>
    </div>
  );
}
