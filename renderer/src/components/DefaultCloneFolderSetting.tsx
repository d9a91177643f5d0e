/**
 * Settings: the folder new clones go into (the Clone panel's parent folder starts with it). It
 * saves itself as the user types, after a short pause or on leaving the field, and says "Saved"
 * or why not right beside it. An empty field goes back to the platform's convention.
 */
import { useSettings } from '../state/stores';
import { describedBy, FieldProblem, FieldStatus, useSelfSaving, useSettingSave } from './SelfSaving';
import { SettingRow } from './SettingsFields';

export function DefaultCloneFolderSetting() {
  const saved = useSettings((state) => state.settings?.defaultCloneFolder);
  const field = useSelfSaving<string>({
    saved,
    same: (a, b) => a.trim() === b.trim(),
    pauseMs: 700,
    save: useSettingSave('defaultCloneFolder', (value: string) => ({ defaultCloneFolder: value.trim() ? value.trim() : null })),
  });
  const id = `${field.statusId}-folder`;

  return (
    <SettingRow
      title="Default clone folder"
      inputId={id}
      testId="default-clone-folder-setting"
      help={<>New clones go here unless you choose another folder in the Clone panel. Empty: your home&apos;s <code>src</code> folder (<code>source\repos</code> on Windows).</>}
    >
      <div className="setting__form">
        <div className="setting__inputs">
          <input
            id={id}
            className="setting__path"
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={field.value ?? ''}
            disabled={field.loading}
            aria-describedby={describedBy(field, `${id}-help`)}
            aria-invalid={field.invalid || undefined}
            onChange={(event) => field.edit(event.target.value)}
            {...field.textEvents}
          />
          <FieldStatus field={field} testId="defaultCloneFolder-status" />
        </div>
        <FieldProblem field={field} title="Default clone folder not saved." testId="defaultCloneFolder-error" />
      </div>
    </SettingRow>
  );
}
