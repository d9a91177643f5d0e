/**
 * "Paste a repository URL or PROJECT/repo": runs discovery on Enter, on the button, or right after
 * a paste. A `mirror-clone://clone` link fills it too, and is looked up as a paste is when it is
 * on a connected server; on any other it waits for the button, saying why. When what was typed is not a repository that can be found, the error sits right under
 * the field (which is marked invalid and described by it), titled in words; it goes as soon as
 * the field holds something else.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useAppLinks, useDiscovery, usePrimaries } from '../state/stores';
import { isOnConnectedServer } from '../state/app-links-slice';
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
  const clearDiscovery = useDiscovery((state) => state.clear);
  const pending = useDiscovery((state) => state.pending);
  const discovery = useDiscovery((state) => state);
  const [value, setValue] = useState('');
  const [primary, setPrimary] = useState<string | undefined>(undefined);
  // A linked address on a server not connected here: what it is, until the field changes.
  const [linkedElsewhere, setLinkedElsewhere] = useState<string | undefined>(undefined);
  const cloneRequest = useAppLinks((state) => state.cloneRequest);
  const takeCloneRequest = useAppLinks((state) => state.takeCloneRequest);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const chosenPrimary = primary ?? primaries[0]?.baseUrl;
  // Only about what the field holds now: typing or pasting something else takes it away.
  const error = isFieldError(discovery) && discovery.repository === value.trim() ? discovery.error : undefined;

  const start = (reference: string) => {
    const trimmed = reference.trim();
    if (!trimmed) return;
    void run(trimmed, looksLikeUrl(trimmed) ? undefined : chosenPrimary, { origin: 'field' });
  };

  // A new linked address fills the field as it renders (React's way to follow a prop)…
  const [filledFrom, setFilledFrom] = useState<number | undefined>(undefined);
  if (cloneRequest && cloneRequest.id !== filledFrom) {
    setFilledFrom(cloneRequest.id);
    setValue(cloneRequest.url);
    setLinkedElsewhere(isOnConnectedServer(cloneRequest.url, primaries) ? undefined : cloneRequest.url);
  }
  // …and is then looked up (or waits for the button) once, however often the effect runs.
  const handled = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!cloneRequest || handled.current === cloneRequest.id) return;
    handled.current = cloneRequest.id;
    takeCloneRequest(cloneRequest.id);
    if (isOnConnectedServer(cloneRequest.url, primaries)) {
      start(cloneRequest.url);
      // The panel it opens is further down the page.
      requestAnimationFrame(() => document.querySelector('[data-testid="clone-panel"]')?.scrollIntoView({ block: 'start' }));
    } else {
      // The panel below would still offer to clone the repository before, under a field naming another.
      clearDiscovery();
      input.current?.focus();
    }
    // Only a new request counts; `start` and the list are read as they are when it comes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cloneRequest]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Pressed: the linked address is the user's choice now, and no longer waits.
    setLinkedElsewhere(undefined);
    start(value);
  };

  return (
    <form className="repo-field" onSubmit={submit} role="search" aria-label="Find a repository">
      <label htmlFor={`${id}-repo`} className="repo-field__label">Paste a repository URL or PROJECT/repo</label>
      <div className="repo-field__row">
        <input
          ref={input}
          id={`${id}-repo`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="https://bitbucket.example.com/projects/PROJ/repos/repo or PROJ/repo"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => {
            setValue(event.target.value);
            setLinkedElsewhere(undefined);
          }}
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
      {linkedElsewhere !== undefined && linkedElsewhere === value && (
        <p className="repo-field__linked" role="status" data-testid="repository-field-linked">
          From a link: this address is not on a primary connected here, so it is not looked up until you press Find mirrors. Check that it is a server you trust.
        </p>
      )}
      {error && <ErrorMessage id={`${id}-error`} error={error} title={errorTitle(error)} testId="repository-field-error" />}
    </form>
  );
}
