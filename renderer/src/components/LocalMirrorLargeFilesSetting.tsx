/**
 * Settings: which Git LFS files a local mirror keeps after each sync, those of the default
 * branch or those of every branch. Saved as soon as it is chosen; the next sync applies it.
 */
import type { Settings } from '../../../shared/contract';
import { useSettings } from '../state/stores';
import { describedBy, FieldProblem, FieldStatus, useSelfSaving, useSettingSave } from './SelfSaving';
import { SettingRow } from './SettingsFields';

type Scope = Settings['localMirrorLargeFiles'];

const choices: { value: Scope; label: string }[] = [
  { value: 'default-branch', label: 'Default branch' },
  { value: 'all-branches', label: 'All branches' },
];

export function LocalMirrorLargeFilesSetting() {
  const saved = useSettings((state) => state.settings?.localMirrorLargeFiles);
  const field = useSelfSaving<Scope>({ saved, save: useSettingSave('localMirrorLargeFiles', (value: Scope) => ({ localMirrorLargeFiles: value })) });
  const name = `${field.statusId}-large-files`;

  return (
    <SettingRow
      title="Large files (Git LFS)"
      testId="local-mirror-large-files-setting"
      help="Which large files a local mirror keeps, so clones of it need not download them: those at the tip of the default branch, or at the tip of every branch (more disk, counted in the quota). Applies from the next sync."
    >
      <div className="setting__form" role="group" aria-label="Large files local mirrors keep">
        <fieldset className="setting__choices" disabled={field.loading} aria-describedby={describedBy(field)}>
          <legend className="visually-hidden">Large files local mirrors keep</legend>
          {choices.map((choice) => (
            <label key={choice.value} className="setting__choice">
              <input type="radio" name={name} value={choice.value} checked={field.value === choice.value} onChange={() => void field.choose(choice.value)} /> {choice.label}
            </label>
          ))}
          <FieldStatus field={field} testId="localMirrorLargeFiles-status" />
        </fieldset>
        <FieldProblem field={field} title="Not saved." testId="localMirrorLargeFiles-error" />
      </div>
    </SettingRow>
  );
}
