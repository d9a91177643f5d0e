/**
 * "Paste a repository URL or PROJECT/repo": runs discovery on Enter, on the button, or right after
 * a paste. When what was typed is not a repository that can be found, the error sits right under
 * the field (which is marked invalid and described by it), titled in words; it goes as soon as
 * the field holds something else.
 */
import { useId, useState, type FormEvent } from 'react';
import { useDiscovery, usePrimaries } from '../state/stores';
import { isFieldError } from '../state/discovery-slice';
import type { ErrorInfo } from '../state/errors';
import { ErrorMessage } from './ErrorMessage';

const looksLikeUrl = (value: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^@\s]+@[^:\s]+:/.test(value);

function errorTitle(error: ErrorInfo): string {
  if (error.code === 'INVALID_PARAMS') return 'Not a repository address.';
  if (error.code === 'UNSAFE_URL') return 'This address is refused.';
  return 'Repository not found.';
}

export function RepositoryField() {
  const primaries = usePrimaries((state) => state.list) ?? [];
  const run = useDiscovery((state) => state.run);
  const pending = useDiscovery((state) => state.pending);
  const discovery = useDiscovery((state) => state);
  const [value, setValue] = useState('');
  const [primary, setPrimary] = useState<string | undefined>(undefined);
  const id = useId();
  const chosenPrimary = primary ?? primaries[0]?.baseUrl;
  // Only about what the field holds now: typing or pasting something else takes it away.
  const error = isFieldError(discovery) && discovery.repository === value.trim() ? discovery.error : undefined;

  const start = (reference: string) => {
    const trimmed = reference.trim();
    if (!trimmed) return;
    void run(trimmed, looksLikeUrl(trimmed) ? undefined : chosenPrimary, { origin: 'field' });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start(value);
  };

  return (
    <form className="repo-field" onSubmit={submit} role="search" aria-label="Find a repository">
      <label htmlFor={`${id}-repo`} className="repo-field__label">Paste a repository URL or PROJECT/repo</label>
      <div className="repo-field__row">
        <input
          id={`${id}-repo`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="https://bitbucket.example.com/projects/PROJ/repos/repo or PROJ/repo"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setValue(event.target.value)}
          onPaste={(event) => {
            const pasted = event.clipboardData.getData('text');
            if (pasted) {
              event.preventDefault();
              setValue(pasted.trim());
              start(pasted);
            }
          }}
        />
        {primaries.length > 1 && (
          <select aria-label="Primary for PROJECT/repo" value={chosenPrimary} onChange={(event) => setPrimary(event.target.value)}>
            {primaries.map((item) => (
              <option key={item.baseUrl} value={item.baseUrl}>{item.name}</option>
            ))}
          </select>
        )}
        <button type="submit" className="button" disabled={pending || !value.trim()}>
          {pending ? 'Measuring…' : 'Find mirrors'}
        </button>
      </div>
      {error && <ErrorMessage id={`${id}-error`} error={error} title={errorTitle(error)} testId="repository-field-error" />}
    </form>
  );
}
