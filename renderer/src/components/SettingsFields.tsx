/**
 * The helper's settings: probe samples, a trusted extra CA file, the disk quota for local
 * mirrors. Each saves itself as the user goes (see SelfSaving.tsx): no Save buttons. What the user
 * typed stays in the field when the helper refuses it, with the reason and hint right below.
 */
import { type ReactNode } from 'react';
import { useSettings } from '../state/stores';
import { describedBy, FieldProblem, FieldStatus, useSelfSaving, useSettingSave } from './SelfSaving';
import { formatBytes } from '../format';

// Decimal, as every size the app and the command line show (1 GB = 1000 MB).
const MB = 1000 * 1000;
const GB = 1000 * MB;

/**
 * One setting: what it is and does on the left, its control on the right (stacked when narrow).
 * `inputId` labels the control with the title; without it the title is `${helpId}-title`.
 */
export function SettingRow({ title, inputId, help, testId, children }: { title: string; inputId?: string; help: ReactNode; testId?: string; children: ReactNode }) {
  const helpId = `${inputId ?? title}-help`;
  return (
    <div className="setting" data-testid={testId}>
      <div className="setting__about">
        {inputId ? <label className="setting__title" htmlFor={inputId}>{title}</label> : <span className="setting__title" id={`${helpId}-title`}>{title}</span>}
        <p className="setting__help" id={helpId}>{help}</p>
      </div>
      <div className="setting__control">{children}</div>
    </div>
  );
}

export function ProbeSamplesSetting() {
  const saved = useSettings((state) => state.settings?.probeSamples);
  const field = useSelfSaving<string>({
    saved: saved === undefined ? undefined : String(saved),
    same: (a, b) => a.trim() === b.trim(),
    check: (value) => {
      const samples = Number(value);
      return value.trim() && Number.isInteger(samples) && samples >= 1 && samples <= 20 ? undefined : 'Probe samples must be a whole number from 1 to 20.';
    },
    save: useSettingSave('probeSamples', (value: string) => ({ probeSamples: Number(value) })),
  });
  const id = field.statusId;

  return (
    <SettingRow title="Probe samples" inputId={`${id}-samples`} help="How many times each server is timed before choosing the closest. More samples choose more steadily on a noisy network; fewer answer sooner.">
      <div className="setting__form" role="group" aria-label="Probe samples">
        <div className="setting__inputs">
          <input
            id={`${id}-samples`}
            className="setting__number"
            type="number"
            inputMode="numeric"
            min={1}
            max={20}
            step={1}
            value={field.value ?? ''}
            disabled={field.loading}
            aria-describedby={describedBy(field, `${id}-samples-help`)}
            aria-invalid={field.invalid || undefined}
            onChange={(event) => field.edit(event.target.value)}
            {...field.textEvents}
          />
          <span className="muted" id={`${id}-samples-help`}>per server, 1 to 20</span>
          <FieldStatus field={field} testId="probeSamples-status" />
        </div>
        <FieldProblem field={field} title="Probe samples not saved." testId="probeSamples-error" />
      </div>
    </SettingRow>
  );
}

export function CaFileSetting() {
  const settings = useSettings((state) => state.settings);
  const saved = settings === undefined ? undefined : (settings.extraCaFile ?? '');
  const field = useSelfSaving<string>({
    saved,
    same: (a, b) => a.trim() === b.trim(),
    save: useSettingSave('extraCaFile', (value: string) => ({ extraCaFile: value.trim() ? value.trim() : null })),
  });
  const id = field.statusId;

  return (
    <SettingRow
      title="Trusted extra CA file"
      inputId={`${id}-ca`}
      help="A PEM file with your company's certificate authority, for a Bitbucket whose certificate it signed. It is trusted in addition to the system's; certificate checks are never turned off."
    >
      <div className="setting__form" role="group" aria-label="Trusted extra CA file">
        <div className="setting__inputs">
          <input
            id={`${id}-ca`}
            className="setting__path"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="/etc/ssl/certs/company-ca.pem"
            value={field.value ?? ''}
            disabled={field.loading}
            aria-describedby={describedBy(field, `${id}-ca-now`)}
            aria-invalid={field.invalid || undefined}
            onChange={(event) => field.edit(event.target.value)}
            {...field.textEvents}
          />
          {saved && (
            <button type="button" className="button button--quiet" aria-disabled={field.status.state === 'pending'} onClick={() => field.status.state !== 'pending' && void field.choose('')}>
              Stop trusting
            </button>
          )}
          <FieldStatus field={field} testId="extraCaFile-status" />
        </div>
        <p className="setting__now muted" id={`${id}-ca-now`} data-testid="extraCaFile-now">
          {saved === undefined ? '\u00a0' : saved ? <>Trusted now: <code>{saved}</code></> : "None: only the system's certificate authorities are trusted."}
        </p>
        <FieldProblem field={field} title="CA file not saved." testId="extraCaFile-error" />
      </div>
    </SettingRow>
  );
}

type Unit = 'MB' | 'GB';
interface Quota {
  limited: boolean;
  amount: string;
  unit: Unit;
}

function quotaOf(bytes: number | undefined): Quota {
  if (bytes === undefined) return { limited: false, amount: '20', unit: 'GB' };
  if (bytes >= GB) return { limited: true, amount: String(Number((bytes / GB).toFixed(2))), unit: 'GB' };
  return { limited: true, amount: String(Number((bytes / MB).toFixed(1))), unit: 'MB' };
}

const bytesOf = (quota: Quota) => (quota.limited ? Math.round(Number(quota.amount) * (quota.unit === 'GB' ? GB : MB)) : undefined);

export function QuotaSetting() {
  const settings = useSettings((state) => state.settings);
  const field = useSelfSaving<Quota>({
    saved: settings === undefined ? undefined : quotaOf(settings.cacheQuotaBytes),
    // "1.5 GB" and "1500 MB" are the same quota; with no limit, the amount shown does not matter.
    same: (a, b) => bytesOf(a) === bytesOf(b),
    check: (quota) =>
      quota.limited && (!quota.amount.trim() || !Number.isFinite(Number(quota.amount)) || Number(quota.amount) <= 0) ? 'Enter a size above zero, or choose No limit.' : undefined,
    save: useSettingSave('cacheQuotaBytes', (quota: Quota) => ({ cacheQuotaBytes: bytesOf(quota) ?? null })),
  });
  const id = field.statusId;
  const value = field.value ?? quotaOf(undefined);
  const saved = settings?.cacheQuotaBytes;

  return (
    <SettingRow title="Local mirrors disk quota" help="Checked each time a local mirror is added: beyond it, the least recently used local mirrors are removed. 1 GB is 1000 MB.">
      <div className="setting__form" role="group" aria-label="Local mirrors disk quota">
        <fieldset className="setting__choices" disabled={field.loading}>
          <legend className="visually-hidden">Local mirrors disk quota</legend>
          <label className="setting__choice">
            <input type="radio" name={`${id}-quota`} checked={!value.limited} onChange={() => void field.choose({ ...value, limited: false })} /> No limit
          </label>
          <div className="setting__inputs">
            <label className="setting__choice">
              <input type="radio" name={`${id}-quota`} checked={value.limited} onChange={() => void field.choose({ ...value, limited: true })} /> At most
            </label>
            <input
              className="setting__number"
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              aria-label="Quota size"
              value={value.amount}
              aria-invalid={field.invalid || undefined}
              aria-describedby={describedBy(field)}
              onChange={(event) => field.edit({ ...value, amount: event.target.value, limited: true })}
              {...field.textEvents}
            />
            <select className="setting__unit" aria-label="Quota unit" value={value.unit} onChange={(event) => void field.choose({ ...value, unit: event.target.value as Unit, limited: true })}>
              <option value="MB">MB</option>
              <option value="GB">GB</option>
            </select>
            <FieldStatus field={field} testId="cacheQuotaBytes-status" />
          </div>
        </fieldset>
        <p className="setting__now muted" data-testid="cacheQuotaBytes-now">
          {settings === undefined ? '\u00a0' : saved === undefined ? 'Now: no limit.' : `Now: at most ${formatBytes(saved)}.`}
        </p>
        <FieldProblem field={field} title="Quota not saved." testId="cacheQuotaBytes-error" />
      </div>
    </SettingRow>
  );
}
