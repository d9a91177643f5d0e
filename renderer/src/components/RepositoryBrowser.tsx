/**
 * Browse a primary's repositories: a search box (a combobox; focus never leaves it) over a list
 * of repositories, narrowed as you type and by project, a page at a time. Arrow keys, Page keys,
 * Home and End move the active row, Enter picks it: discovery runs for it and the Clone panel
 * below shows its mirrors. Moving past the last row, or scrolling to it, loads the next page.
 *
 * Rows of an earlier search stay on screen, dimmed, while the answer to what was typed is on its
 * way, but none is highlighted and keys do not move over them: Enter then waits for the answer and
 * opens its first row, the one highlighted when it shows (see browse-slice).
 *
 * Several rows can be checked and cloned in one step (the bar below the list). Space checks the
 * highlighted row once the keys have moved over the list (or the box is empty): right after typing,
 * Space is still a space in the search text. Shift+Up/Down and Shift+click extend the checked rows.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { PrimarySummary } from '../../../shared/contract';
import { useBrowse, useDiscovery } from '../state/stores';
import { showsCurrentSearch } from '../state/browse-slice';
import { moveActive, resolveActive, type ActiveRow } from '../state/browse-keys';
import { RepositoryBrowserList, visibleRows } from './RepositoryBrowserList';
import { RepositoryBrowserStatus } from './RepositoryBrowserStatus';
import { BrowseSelectionBar } from './BrowseSelectionBar';
import { OpenedTeamFilePanel, TeamFileOpenButton } from './TeamFilePanel';

/** With Shift, these move as they do without it, checking the row left and the row reached. */
const extendingKeys = new Set(['ArrowDown', 'ArrowUp']);

/**
 * `choosing`: only the checks matter (the set-up path clones them later): no clone bar, no team
 * file, and opening a row (Enter, a click) checks it rather than finding its mirrors.
 */
export function RepositoryBrowser({ primaries, choosing = false }: { primaries: PrimarySummary[]; choosing?: boolean }) {
  const [chosenPrimary, setChosenPrimary] = useState<string | undefined>(undefined);
  const primary = primaries.find((item) => item.baseUrl === chosenPrimary) ?? primaries[0];
  const browse = useBrowse((state) => state);
  const discoveredRepository = useDiscovery((state) => state.repository);
  const discoveredPrimary = useDiscovery((state) => state.primary);
  const [active, setActive] = useState<ActiveRow | undefined>(undefined);
  const id = useId();
  const viewport = useRef<HTMLDivElement>(null);
  // Keys moved over the list since the last typing: Space then checks rather than types.
  const [navigating, setNavigating] = useState(false);
  // Where Shift+click extends from: the row last checked by click (in this listing).
  const anchor = useRef<{ listKey: number; index: number } | undefined>(undefined);

  const { open } = browse;
  const primaryUrl = primary?.baseUrl;
  useEffect(() => {
    if (primaryUrl) open(primaryUrl);
  }, [primaryUrl, open]);

  const listed = browse.primary === primary?.baseUrl && (browse.status === 'ready' || browse.status === 'loading') ? browse.items : [];
  // Only rows that answer what the box holds can be highlighted, moved over and opened by Enter.
  const current = browse.primary === primary?.baseUrl && showsCurrentSearch(browse);
  const view = { listKey: browse.listKey, count: current ? listed.length : 0, hasMore: browse.nextStart !== null, pageRows: visibleRows };
  const activeIndex = resolveActive(active, view);
  const optionId = (index: number) => `${id}-option-${index}`;
  const listboxId = `${id}-listbox`;
  const showsList = browse.status !== 'error' && listed.length > 0;

  useEffect(() => {
    if (activeIndex >= 0) document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: 'nearest' });
    // optionId depends on id only, which never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeIndex, browse.listKey]);

  if (!primary) return null;

  const pick = (index: number) => {
    if (!listed[index]) return;
    setActive({ listKey: browse.listKey, index });
    // Choosing only checks: opening a row (its mirrors, its clone panel) belongs to Repositories.
    if (choosing) browse.toggleChecked(index);
    else browse.pick(index);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && browse.query) {
      event.preventDefault();
      browse.setQuery('', { immediate: true });
      return;
    }
    if (event.key === 'Enter' && !current) {
      event.preventDefault();
      // Checking waits for the rows that answer the search; opening one early is for Repositories.
      if (!choosing) browse.pickFirstOfCurrentSearch();
      return;
    }
    if (event.key === ' ' && current && activeIndex >= 0 && (navigating || browse.query === '')) {
      event.preventDefault();
      browse.toggleChecked(activeIndex);
      anchor.current = { listKey: browse.listKey, index: activeIndex };
      return;
    }
    const extending = event.shiftKey && current && extendingKeys.has(event.key);
    const outcome = moveActive(event.key, active, view);
    if (!outcome.handled) return;
    event.preventDefault();
    setNavigating(true);
    if (extending && activeIndex >= 0) browse.check([activeIndex, resolveActive(outcome.active, view)]);
    setActive(outcome.active);
    if (outcome.loadMore) browse.loadMore();
    if (outcome.pick !== undefined) pick(outcome.pick);
  };

  const pickedKey = discoveredPrimary === primary.baseUrl ? discoveredRepository?.toUpperCase() : undefined;
  const projectOptions = browse.projects.values;

  return (
    <section className="browser" aria-labelledby={`${id}-title`} data-testid="repository-browser">
      <div className="browser__head">
        <h2 id={`${id}-title`} className="browser__title">
          Browse <span className="browser__primary">{primary.name}</span>
        </h2>
        <RepositoryBrowserStatus />
        {!choosing && <TeamFileOpenButton />}
      </div>
      {!choosing && <OpenedTeamFilePanel primaries={primaries} />}
      <div className="browser__toolbar">
        <label htmlFor={`${id}-search`} className="visually-hidden">Search repositories</label>
        <input
          id={`${id}-search`}
          className="browser__search"
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={showsList}
          aria-controls={showsList ? listboxId : undefined}
          aria-activedescendant={showsList && activeIndex >= 0 ? optionId(activeIndex) : undefined}
          aria-describedby={`${id}-keys`}
          placeholder="Search repositories by name"
          spellCheck={false}
          autoComplete="off"
          value={browse.query}
          onChange={(event) => {
            setNavigating(false);
            browse.setQuery(event.target.value);
          }}
          onKeyDown={onKeyDown}
          data-testid="browse-search"
        />
        <select
          aria-label="Project"
          className="browser__project-filter"
          value={browse.projectKey ?? ''}
          disabled={browse.projects.status !== 'ready'}
          onChange={(event) => browse.setProject(event.target.value || undefined)}
        >
          <option value="">{browse.projects.status === 'loading' ? 'Loading projects…' : browse.projects.status === 'error' ? 'Projects unavailable' : 'All projects'}</option>
          {projectOptions.map((project) => (
            <option key={project.key} value={project.key}>{project.key === project.name ? project.key : `${project.key} · ${project.name}`}</option>
          ))}
        </select>
        {primaries.length > 1 && (
          <select aria-label="Primary to browse" value={primary.baseUrl} onChange={(event) => setChosenPrimary(event.target.value)}>
            {primaries.map((item) => (
              <option key={item.baseUrl} value={item.baseUrl}>{item.name}</option>
            ))}
          </select>
        )}
      </div>
      <p id={`${id}-keys`} className="visually-hidden">
        {choosing
          ? 'Arrow keys move through the repositories, Space or Enter checks the highlighted one, Shift with the arrow keys checks the rows passed over, Escape clears the search.'
          : 'Arrow keys move through the repositories, Enter finds the mirrors of the highlighted one, Space checks it to clone several at once, Shift with the arrow keys checks the rows passed over, Escape clears the search.'}
      </p>
      <RepositoryBrowserList
        viewportRef={viewport}
        listboxId={listboxId}
        optionId={optionId}
        items={listed}
        activeIndex={activeIndex}
        pickedKey={pickedKey}
        onPick={pick}
        onHover={(index) => current && setActive({ listKey: browse.listKey, index })}
        onCheck={(index, extend) => {
          const from = anchor.current?.listKey === browse.listKey ? anchor.current.index : undefined;
          if (extend && from !== undefined) {
            const [low, high] = from < index ? [from, index] : [index, from];
            browse.check(Array.from({ length: high - low + 1 }, (_, offset) => low + offset));
          } else browse.toggleChecked(index);
          anchor.current = { listKey: browse.listKey, index };
        }}
      />
      {!choosing && <BrowseSelectionBar primary={primary.baseUrl} />}
    </section>
  );
}
