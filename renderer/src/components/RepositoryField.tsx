/** "Paste a repository URL or PROJECT/repo": runs discovery on Enter, on the button, or right after a paste. */
import { useId, useState, type FormEvent } from 'react';
import { useDiscovery, usePrimaries } from '../state/stores';

const looksLikeUrl = (value: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[^@\s]+@[^:\s]+:/.test(value);

export function RepositoryField() {
  const primaries = usePrimaries((state) => state.list) ?? [];
  const run = useDiscovery((state) => state.run);
  const pending = useDiscovery((state) => state.pending);
  const [value, setValue] = useState('');
  const [primary, setPrimary] = useState<string | undefined>(undefined);
  const id = useId();
  const chosenPrimary = primary ?? primaries[0]?.baseUrl;

  const start = (reference: string) => {
    const trimmed = reference.trim();
    if (!trimmed) return;
    void run(trimmed, looksLikeUrl(trimmed) ? undefined : chosenPrimary);
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
    </form>
  );
}
