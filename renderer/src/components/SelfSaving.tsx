/**
 * Save as you go: a field in Settings saves itself, with no Save button.
 *
 * - A select, radio or checkbox saves as soon as it changes (`choose`).
 * - A text or number field keeps what is typed as a draft and saves it on Enter or when focus
 *   leaves it (`textEvents`); Escape puts back what is saved.
 * - A value is checked first (`check`: a message saying what to enter), then sent (`save`). A
 *   refusal, local or from the helper, keeps what the user typed in the field, with the reason
 *   next to it; "Saving…" then "Saved" show beside the field while nothing else moves.
 *
 * A new setting is a few lines:
 *
 *   const field = useSelfSaving({
 *     saved: settings?.editor,                      // what is in force; undefined while loading
 *     check: (value) => (value.trim() ? undefined : 'Enter a command.'),
 *     save: useSettingSave('editor', (value) => ({ editor: value })),
 *   });
 *   <SettingRow title="Editor" inputId={`${field.statusId}-editor`} help="…">   // SettingsFields.tsx
 *     <input id={`${field.statusId}-editor`} value={field.value ?? ''} disabled={field.loading}
 *            onChange={(event) => field.edit(event.target.value)} {...field.textEvents}
 *            aria-invalid={field.invalid || undefined} aria-describedby={describedBy(field)} />
 *   <FieldStatus field={field} testId="editor-status" />        // "Saving…", "Saved"
 *   <FieldProblem field={field} title="Editor not saved." testId="editor-error" />
 *   </SettingRow>
 *
 * A select: `value={field.value}` and `onChange={(event) => void field.choose(event.target.value)}`.
 * A value kept outside the settings (the preferred server) passes its own `save`.
 */
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ParamsOf } from '../../../shared/contract';
import type { ErrorInfo } from '../state/errors';
import type { SettingName } from '../state/settings-slice';
import { useSettings } from '../state/stores';
import { ErrorMessage } from './ErrorMessage';

/** Sends one value; resolves with why it was refused, or undefined once it is saved. */
export type SaveValue<T> = (value: T) => Promise<ErrorInfo | undefined>;

export type SaveStatus = { state: 'idle' } | { state: 'pending' } | { state: 'saved' } | { state: 'refused'; error: ErrorInfo };

export interface SelfSavingOptions<T> {
  /** The value in force; undefined until it is known (the field is then disabled). */
  saved: T | undefined;
  /** A problem found before sending, as a sentence saying what to enter; undefined when fine. */
  check?(value: T): string | undefined;
  save: SaveValue<T>;
  /** When two values are the same setting (default: ===). */
  same?(a: T, b: T): boolean;
  /** A text field that also saves after this pause in typing (a path, not a number mid-typed). */
  pauseMs?: number;
}

export interface SelfSaving<T> {
  /** What the field shows: the draft being typed, else the saved value. */
  value: T | undefined;
  loading: boolean;
  status: SaveStatus;
  invalid: boolean;
  /** For aria-describedby on the field: the status and the problem are read with it. */
  statusId: string;
  /** While typing: keeps a draft and forgets the last outcome. */
  edit(value: T): void;
  /** Checks and saves the draft (or `value`) when it differs from what is saved. */
  commit(value?: T): Promise<void>;
  /** A select, radio or checkbox: saves at once. */
  choose(value: T): Promise<void>;
  /** Back to what is saved. */
  revert(): void;
  /** For a text or number input: Enter and leaving the field save, Escape reverts. */
  textEvents: { onBlur(): void; onKeyDown(event: KeyboardEvent<HTMLElement>): void };
}

export function useSelfSaving<T>({ saved, check, save, same = (a, b) => a === b, pauseMs }: SelfSavingOptions<T>): SelfSaving<T> {
  const [draft, setDraft] = useState<{ value: T } | undefined>(undefined);
  const [status, setStatus] = useState<SaveStatus>({ state: 'idle' });
  const statusId = useId();
  // Read inside callbacks that outlive a render (a save resolving after more typing).
  const latest = useRef({ draft, saved, check, save, same });
  useLayoutEffect(() => {
    latest.current = { draft, saved, check, save, same };
  });
  const inFlight = useRef<{ value: T } | undefined>(undefined);
  const refused = useRef<{ value: T } | undefined>(undefined);
  const pause = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(pause.current), []);

  const commit = useCallback(async (value?: T) => {
    window.clearTimeout(pause.current);
    const current = latest.current;
    const next = value !== undefined ? { value } : current.draft;
    if (!next || current.saved === undefined) return;
    if (current.same(next.value, current.saved) && !inFlight.current) {
      setDraft(undefined);
      return;
    }
    // Enter then leaving the field, or the same refused value again: one request is enough.
    if (inFlight.current && current.same(inFlight.current.value, next.value)) return;
    if (refused.current && current.same(refused.current.value, next.value)) return;
    const problem = current.check?.(next.value);
    if (problem) {
      refused.current = next;
      setStatus({ state: 'refused', error: { code: 'INVALID_PARAMS', message: problem } });
      return;
    }
    inFlight.current = next;
    setStatus({ state: 'pending' });
    const error = await current.save(next.value);
    if (inFlight.current === next) inFlight.current = undefined;
    if (error) {
      refused.current = next;
      setStatus({ state: 'refused', error });
      return;
    }
    setStatus({ state: 'saved' });
    // More typed meanwhile stays a draft; otherwise the field shows the saved value.
    setDraft((now) => (now && !latest.current.same(now.value, next.value) ? now : undefined));
  }, []);

  const edit = useCallback(
    (value: T) => {
      setDraft({ value });
      refused.current = undefined;
      setStatus({ state: 'idle' });
      window.clearTimeout(pause.current);
      if (pauseMs !== undefined) pause.current = window.setTimeout(() => void commit(), pauseMs);
    },
    [commit, pauseMs],
  );

  const choose = useCallback(
    async (value: T) => {
      edit(value);
      await commit(value);
    },
    [edit, commit],
  );

  const revert = useCallback(() => {
    window.clearTimeout(pause.current);
    setDraft(undefined);
    refused.current = undefined;
    setStatus({ state: 'idle' });
  }, []);

  return {
    value: draft ? draft.value : saved,
    loading: saved === undefined,
    status,
    invalid: status.state === 'refused',
    statusId,
    edit,
    commit,
    choose,
    revert,
    textEvents: {
      onBlur: () => void commit(),
      onKeyDown(event) {
        if (event.key === 'Enter') {
          event.preventDefault();
          void commit();
        } else if (event.key === 'Escape' && latest.current.draft) {
          event.stopPropagation();
          revert();
        }
      },
    },
  };
}

/** A `save` for one of the helper's settings (`settings.update`), its refusal included. */
export function useSettingSave<T>(name: SettingName, change: (value: T) => ParamsOf<'settings.update'>): SaveValue<T> {
  const apply = useSettings((state) => state.apply);
  return (value) => apply(name, change(value));
}

/** Beside the field: "Saving…", then "Saved". Polite, so a screen reader hears it once. */
export function FieldStatus({ field, testId }: { field: Pick<SelfSaving<unknown>, 'status' | 'statusId'>; testId?: string }) {
  return (
    <span className="setting__status" id={`${field.statusId}-status`} aria-live="polite" data-testid={testId}>
      {field.status.state === 'pending' && <><span className="spinner" aria-hidden="true" /> Saving…</>}
      {field.status.state === 'saved' && <span className="ok-text">Saved</span>}
    </span>
  );
}

/** Under the field: why the value was refused and what to do. */
export function FieldProblem({ field, title, testId }: { field: Pick<SelfSaving<unknown>, 'status' | 'statusId'>; title: string; testId?: string }) {
  if (field.status.state !== 'refused') return null;
  return (
    <div id={`${field.statusId}-problem`}>
      <ErrorMessage error={field.status.error} title={title} testId={testId} />
    </div>
  );
}

/** The ids to put in the field's aria-describedby, so its outcome is read with it. */
export function describedBy(field: Pick<SelfSaving<unknown>, 'status' | 'statusId'>, ...others: (string | undefined)[]): string {
  return [...others, `${field.statusId}-status`, field.status.state === 'refused' ? `${field.statusId}-problem` : undefined].filter(Boolean).join(' ');
}
