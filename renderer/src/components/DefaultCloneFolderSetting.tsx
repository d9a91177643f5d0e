/**
 * Settings: the folder new clones go into (the Clone panel's parent folder starts with it). It
 * saves itself as the user types, after a short pause or on leaving the field, and says "Saved"
 * or why not right beside it. An empty field goes back to the platform's convention.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useSettings } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';

const saveAfterMs = 700;

export function DefaultCloneFolderSetting() {
  const saved = useSettings((state) => state.settings?.defaultCloneFolder);
  const save = useSettings((state) => state.save);
  const clearSave = useSettings((state) => state.clearSave);
  const outcome = useSettings((state) => state.saves.defaultCloneFolder);
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const timer = useRef<number | undefined>(undefined);
  const id = useId();
  const value = draft ?? saved ?? '';
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const saveNow = async (text: string) => {
    window.clearTimeout(timer.current);
    if (text.trim() === saved) return;
    // Kept as typed while refused, so the user can correct it.
    if (await save('defaultCloneFolder', { defaultCloneFolder: text.trim() ? text.trim() : null })) setDraft(undefined);
  };
  const edit = (text: string) => {
    setDraft(text);
    clearSave('defaultCloneFolder');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void saveNow(text), saveAfterMs);
  };

  return (
    <div className="setting" data-testid="default-clone-folder-setting">
      <div className="setting__about">
        <label className="setting__title" htmlFor={`${id}-folder`}>Default clone folder</label>
        <p className="setting__help" id={`${id}-help`}>
          New clones go here unless you choose another folder in the Clone panel. Empty: your home&apos;s <code>src</code> folder (<code>source\repos</code> on Windows).
        </p>
      </div>
      <div className="setting__control">
        <div className="setting__form">
          <div className="setting__inputs">
            <input
              id={`${id}-folder`}
              className="setting__path"
              type="text"
              spellCheck={false}
              autoComplete="off"
              value={value}
              disabled={saved === undefined}
              aria-describedby={`${id}-help${outcome?.state === 'error' ? ` ${id}-error` : ''}`}
              aria-invalid={outcome?.state === 'error' ? true : undefined}
              onChange={(event) => edit(event.target.value)}
              onBlur={() => draft !== undefined && void saveNow(draft)}
            />
            <span className="setting__status" aria-live="polite" data-testid="defaultCloneFolder-status">
              {outcome?.state === 'pending' && <><span className="spinner" aria-hidden="true" /> Saving…</>}
              {outcome?.state === 'saved' && <span className="ok-text">Saved</span>}
            </span>
          </div>
          {outcome?.state === 'error' && <ErrorMessage id={`${id}-error`} error={outcome.error} title="Default clone folder not saved." testId="defaultCloneFolder-error" />}
        </div>
      </div>
    </div>
  );
}
