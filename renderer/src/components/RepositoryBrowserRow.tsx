/**
 * One repository in the browser: its checkbox (to clone several at once), project key, name (the
 * searched text marked), project name, size and last change, archived.
 */
import type { MouseEvent } from 'react';
import type { BrowsedRepository } from '../../../shared/contract';
import type { DetailsEntry } from '../state/repository-details-slice';
import { RepositoryFacts } from './RepositoryFacts';

function Marked({ text, query }: { text: string; query: string }) {
  const at = query ? text.toLowerCase().indexOf(query.toLowerCase()) : -1;
  if (at < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + query.length)}</mark>
      {text.slice(at + query.length)}
    </>
  );
}

interface RowProps {
  id: string;
  repository: BrowsedRepository;
  query: string;
  active: boolean;
  /** The repository the Clone panel shows now. */
  picked: boolean;
  /** Size and last change, once asked for (rows on screen only). */
  details?: DetailsEntry;
  /** Checked to be cloned with the others checked. */
  checked: boolean;
  onPick(): void;
  onHover(): void;
  /** A click on the checkbox (or a Ctrl/Cmd-click on the row); `extend`: Shift was held. */
  onCheck(extend: boolean): void;
}

export function RepositoryBrowserRow({ id, repository, query, active, picked, details, checked, onPick, onHover, onCheck }: RowProps) {
  const showSlug = repository.slug !== repository.name.toLowerCase();
  return (
    <li
      id={id}
      role="option"
      // Focusable by script only (focus stays in the search box); lets the scrolling box count as having focusable content.
      tabIndex={-1}
      aria-selected={active}
      // The option is the control: a checkbox inside an option would be a control inside a control.
      aria-checked={checked}
      className={`browser__row${active ? ' browser__row--active' : ''}${picked ? ' browser__row--picked' : ''}${checked ? ' browser__row--checked' : ''}`}
      data-testid="browse-row"
      data-project={repository.projectKey}
      data-slug={repository.slug}
      data-name={repository.name}
      data-archived={repository.archived}
      // Keeps focus (and the caret) in the search box.
      onMouseDown={(event) => event.preventDefault()}
      onMouseMove={active ? undefined : onHover}
      onClick={(event: MouseEvent) => {
        const onBox = (event.target as HTMLElement).closest('[data-checkbox]') !== null;
        if (onBox || event.ctrlKey || event.metaKey) onCheck(event.shiftKey);
        else onPick();
      }}
    >
      <span className="browser__check" data-checkbox="" data-testid="browse-row-check" aria-hidden="true">
        <span className="browser__box">{checked && <svg viewBox="0 0 12 12"><path d="M2.5 6.2 5 8.6l4.5-5" /></svg>}</span>
      </span>
      <span className="browser__key" title={repository.projectName}>{repository.projectKey}</span>
      <span className="browser__name">
        <Marked text={repository.name} query={query} />
        {showSlug && <span className="browser__slug"> {repository.slug}</span>}
      </span>
      <span className="browser__project-name">{repository.projectName}</span>
      <RepositoryFacts entry={details} className="browser__facts" testId="browse-row-facts" />
      <span className="browser__badges">
        {repository.archived && <span className="badge browser__archived">Archived</span>}
        {picked && <span className="badge badge--accent">Shown below</span>}
      </span>
    </li>
  );
}
