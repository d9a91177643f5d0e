/**
 * The helper's settings, one small form each: probe samples, a trusted extra CA file, the disk
 * quota for local mirrors. Each saves on its own; what the user typed stays in the field when the
 * helper refuses it, with the helper's reason and hint right below.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useSettings } from '../state/stores';
import type { ErrorInfo } from '../state/errors';
import type { SettingName } from '../state/settings-slice';
import { ErrorMessage } from './ErrorMessage';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** "20 GB", "750 MB", "1.5 GB". */
export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${Number((bytes / GB).toFixed(2))} GB`;
  return `${Number((bytes / MB).toFixed(1))} MB`;
}

/** Next to the Save button: the last save of one setting, pending or done. */
function SaveStatus({ name }: { name: SettingName }) {
  const save = useSettings((state) => state.saves[name]);
  return (
    <span className="setting__status" aria-live="polite" data-testid={`${name}-status`}>
      {save?.state === 'pending' && <><span className="spinner" aria-hidden="true" /> Saving…</>}
      {save?.state === 'saved' && <span className="ok-text">Saved</span>}
    </span>
  );
}

/** Below the form: why the last save was refused, or a problem found before sending it. */
function SaveError({ name, localError, title }: { name: SettingName; localError?: ErrorInfo; title: string }) {
  const save = useSettings((state) => state.saves[name]);
  const error = localError ?? (save?.state === 'error' ? save.error : undefined);
  return error ? <ErrorMessage error={error} title={title} testId={`${name}-error`} /> : null;
}

/** One setting: what it is and does on the left, its form on the right (stacked when narrow). */
function SettingRow({ title, inputId, help, children }: { title: string; inputId?: string; help: ReactNode; children: ReactNode }) {
  const helpId = `${inputId ?? title}-help`;
  return (
    <div className="setting">
      <div className="setting__about">
        {inputId ? <label className="setting__title" htmlFor={inputId}>{title}</label> : <span className="setting__title" id={`${helpId}-title`}>{title}</span>}
        <p className="setting__help" id={helpId}>{help}</p>
      </div>
      <div className="setting__control">{children}</div>
    </div>
  );
}

/** Shared editing state: a draft while the user types, the saved value otherwise. */
function useDraft(name: SettingName) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [localError, setLocalError] = useState<ErrorInfo | undefined>(undefined);
  const clearSave = useSettings((state) => state.clearSave);
  const pending = useSettings((state) => state.saves[name]?.state === 'pending');
  return {
    draft,
    localError,
    pending,
    edit(value: string | undefined) {
      setDraft(value);
      setLocalError(undefined);
      clearSave(name);
    },
    refuse(message: string) {
      setLocalError({ code: 'INVALID_PARAMS', message });
    },
    saved() {
      setDraft(undefined);
    },
  };
}

export function ProbeSamplesSetting() {
  const saved = useSettings((state) => state.settings?.probeSamples);
  const save = useSettings((state) => state.save);
  const editing = useDraft('probeSamples');
  const id = useId();
  const value = editing.draft ?? (saved === undefined ? '' : String(saved));
  const changed = saved !== undefined && value.trim() !== String(saved);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!changed || editing.pending) return;
    const samples = Number(value);
    if (!Number.isInteger(samples) || samples < 1 || samples > 20) return editing.refuse('Probe samples must be a whole number from 1 to 20.');
    if (await save('probeSamples', { probeSamples: samples })) editing.saved();
  };

  return (
    <SettingRow title="Probe samples" inputId={`${id}-samples`} help="How many times each server is timed before choosing the closest. More samples choose more steadily on a noisy network; fewer answer sooner.">
      <form className="setting__form" noValidate onSubmit={(event) => void submit(event)} aria-label="Probe samples">
        <div className="setting__inputs">
          <input
            id={`${id}-samples`}
            className="setting__number"
            type="number"
            inputMode="numeric"
            min={1}
            max={20}
            step={1}
            value={value}
            disabled={saved === undefined}
            aria-describedby={`${id}-samples-help`}
            aria-invalid={editing.localError ? true : undefined}
            onChange={(event) => editing.edit(event.target.value)}
          />
          <span className="muted" id={`${id}-samples-help`}>per server, 1 to 20</span>
          <button type="submit" className="button" aria-disabled={!changed || editing.pending}>Save</button>
          <SaveStatus name="probeSamples" />
        </div>
        <SaveError name="probeSamples" localError={editing.localError} title="Probe samples not saved." />
      </form>
    </SettingRow>
  );
}

export function CaFileSetting() {
  const settings = useSettings((state) => state.settings);
  const save = useSettings((state) => state.save);
  const editing = useDraft('extraCaFile');
  const id = useId();
  const saved = settings?.extraCaFile ?? '';
  const value = editing.draft ?? saved;
  const changed = settings !== undefined && value.trim() !== saved;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!changed || editing.pending) return;
    if (await save('extraCaFile', { extraCaFile: value.trim() ? value.trim() : null })) editing.saved();
  };
  const stopTrusting = async () => {
    if (editing.pending) return;
    editing.edit(undefined);
    await save('extraCaFile', { extraCaFile: null });
  };

  return (
    <SettingRow
      title="Trusted extra CA file"
      inputId={`${id}-ca`}
      help="A PEM file with your company's certificate authority, for a Bitbucket whose certificate it signed. It is trusted in addition to the system's; certificate checks are never turned off."
    >
      <form className="setting__form" noValidate onSubmit={(event) => void submit(event)} aria-label="Trusted extra CA file">
        <div className="setting__inputs">
          <input
            id={`${id}-ca`}
            className="setting__path"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="/etc/ssl/certs/company-ca.pem"
            value={value}
            disabled={settings === undefined}
            aria-describedby={`${id}-ca-now`}
            onChange={(event) => editing.edit(event.target.value)}
          />
          <button type="submit" className="button" aria-disabled={!changed || editing.pending}>Save</button>
          {saved && (
            <button type="button" className="button button--quiet" aria-disabled={editing.pending} onClick={() => void stopTrusting()}>
              Stop trusting
            </button>
          )}
          <SaveStatus name="extraCaFile" />
        </div>
        <p className="setting__now muted" id={`${id}-ca-now`} data-testid="extraCaFile-now">
          {settings === undefined ? '\u00a0' : saved ? <>Trusted now: <code>{saved}</code></> : "None: only the system's certificate authorities are trusted."}
        </p>
        <SaveError name="extraCaFile" title="CA file not saved." />
      </form>
    </SettingRow>
  );
}

type Unit = 'MB' | 'GB';

function quotaDraftOf(bytes: number | undefined): { limited: boolean; amount: string; unit: Unit } {
  if (bytes === undefined) return { limited: false, amount: '20', unit: 'GB' };
  if (bytes >= GB) return { limited: true, amount: String(Number((bytes / GB).toFixed(2))), unit: 'GB' };
  return { limited: true, amount: String(Number((bytes / MB).toFixed(1))), unit: 'MB' };
}

export function QuotaSetting() {
  const settings = useSettings((state) => state.settings);
  const save = useSettings((state) => state.save);
  const clearSave = useSettings((state) => state.clearSave);
  const pending = useSettings((state) => state.saves.cacheQuotaBytes?.state === 'pending');
  const [draft, setDraft] = useState<ReturnType<typeof quotaDraftOf> | undefined>(undefined);
  const [localError, setLocalError] = useState<ErrorInfo | undefined>(undefined);
  const id = useId();
  const saved = settings?.cacheQuotaBytes;
  const value = draft ?? quotaDraftOf(saved);
  const bytes = value.limited ? Math.round(Number(value.amount) * (value.unit === 'GB' ? GB : MB)) : undefined;
  const changed = settings !== undefined && (value.limited !== (saved !== undefined) || (value.limited && bytes !== saved));

  const edit = (change: Partial<typeof value>) => {
    setDraft({ ...value, ...change });
    setLocalError(undefined);
    clearSave('cacheQuotaBytes');
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!changed || pending) return;
    if (value.limited && (!value.amount.trim() || !Number.isFinite(Number(value.amount)) || Number(value.amount) <= 0)) {
      return setLocalError({ code: 'INVALID_PARAMS', message: 'Enter a size above zero, or choose No limit.' });
    }
    if (await save('cacheQuotaBytes', { cacheQuotaBytes: bytes ?? null })) setDraft(undefined);
  };

  return (
    <SettingRow title="Local mirrors disk quota" help="Checked each time a local mirror is added: beyond it, the least recently used local mirrors are removed. 1 GB is 1024 MB.">
      <form className="setting__form" noValidate onSubmit={(event) => void submit(event)} aria-label="Local mirrors disk quota">
        <fieldset className="setting__choices" disabled={settings === undefined}>
          <legend className="visually-hidden">Local mirrors disk quota</legend>
          <label className="setting__choice">
            <input type="radio" name={`${id}-quota`} checked={!value.limited} onChange={() => edit({ limited: false })} /> No limit
          </label>
          <div className="setting__inputs">
            <label className="setting__choice">
              <input type="radio" name={`${id}-quota`} checked={value.limited} onChange={() => edit({ limited: true })} /> At most
            </label>
            <input
              className="setting__number"
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              aria-label="Quota size"
              value={value.amount}
              aria-invalid={localError ? true : undefined}
              onChange={(event) => edit({ amount: event.target.value, limited: true })}
            />
            <select className="setting__unit" aria-label="Quota unit" value={value.unit} onChange={(event) => edit({ unit: event.target.value as Unit, limited: true })}>
              <option value="MB">MB</option>
              <option value="GB">GB</option>
            </select>
            <button type="submit" className="button" aria-disabled={!changed || pending}>Save</button>
            <SaveStatus name="cacheQuotaBytes" />
          </div>
        </fieldset>
        <p className="setting__now muted" data-testid="cacheQuotaBytes-now">
          {settings === undefined ? '\u00a0' : saved === undefined ? 'Now: no limit.' : `Now: at most ${formatBytes(saved)}.`}
        </p>
        <SaveError name="cacheQuotaBytes" localError={localError} title="Quota not saved." />
      </form>
    </SettingRow>
  );
}
