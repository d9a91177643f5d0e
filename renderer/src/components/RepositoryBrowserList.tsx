/**
 * The list part of the repository browser, in a box of fixed height that scrolls on its own, so
 * nothing below it moves while pages arrive: skeleton rows while the first page is on its way,
 * the rows (dimmed while a new search is pending), the empty and error states in the same box,
 * and at its end the next page, loaded when the end scrolls into view or on the button.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { BrowsedRepository } from '../../../shared/contract';
import { useBrowse, useRepositoryDetails } from '../state/stores';
import { detailsKey } from '../state/repository-details-slice';
import { repositoryKey, showsCurrentSearch } from '../state/browse-slice';
import { ErrorMessage } from './ErrorMessage';
import { RepositoryBrowserRow } from './RepositoryBrowserRow';
import { BrowseTokenForm } from './BrowseTokenForm';

/** Rows the box shows at once (its height in browse.css is this many rows). */
export const visibleRows = 8;

function SkeletonRows({ count }: { count: number }) {
  return (
    <div className="browser__skeletons" aria-hidden="true" data-testid="browse-skeleton">
      {Array.from({ length: count }, (_, index) => (
        <div key={index} className="browser__skeleton">
          <span />
          <span />
        </div>
      ))}
    </div>
  );
}

interface ListProps {
  viewportRef: RefObject<HTMLDivElement | null>;
  listboxId: string;
  optionId(index: number): string;
  items: BrowsedRepository[];
  activeIndex: number;
  pickedKey?: string;
  onPick(index: number): void;
  onHover(index: number): void;
  onCheck(index: number, extend: boolean): void;
}

/**
 * Eight rows high, so nothing below moves as pages and states come and go; a primary with fewer
 * repositories in all gets a box that fits them and the end line (a search only shows fewer).
 */
function viewportHeight(wholeListing: number | undefined): string {
  const rows = wholeListing === undefined ? visibleRows : Math.min(visibleRows, Math.max(3, wholeListing + 1));
  return `calc(var(--browser-row) * ${rows} + 2px)`;
}

/**
 * Which rows are inside the scrolling box now (by index), so only their size and last change are
 * asked for; it changes as the list scrolls or a new search replaces the rows.
 */
function useRowsOnScreen(viewportRef: RefObject<HTMLDivElement | null>, listboxId: string, rowsKey: string): Set<number> {
  const [onScreen, setOnScreen] = useState<Set<number>>(() => new Set());
  useEffect(() => {
    const list = document.getElementById(listboxId);
    // No rows: indexes left from earlier rows name nothing (the caller maps them to rows).
    if (!list || !rowsKey) return;
    const visible = new Set<number>();
    const rows = [...list.querySelectorAll<HTMLElement>('[role="option"]')];
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const index = rows.indexOf(entry.target as HTMLElement);
        if (entry.isIntersecting) visible.add(index);
        else visible.delete(index);
      }
      setOnScreen(new Set(visible));
    }, { root: viewportRef.current });
    rows.forEach((row) => observer.observe(row));
    return () => observer.disconnect();
    // rowsKey changes whenever other rows are rendered (a new search, another page).
  }, [viewportRef, listboxId, rowsKey]);
  return onScreen;
}

export function RepositoryBrowserList({ viewportRef, listboxId, optionId, items, activeIndex, pickedKey, onPick, onHover, onCheck }: ListProps) {
  const browse = useBrowse((state) => state);
  const checked = browse.checked;
  const { status, error, shown, nextStart, loadingMore, moreError, loadMore, retry, setQuery, setProject, query, projectKey, wholeListing } = browse;
  const sentinel = useRef<HTMLDivElement>(null);
  const details = useRepositoryDetails((state) => state.entries);
  const showDetails = useRepositoryDetails((state) => state.show);
  const onScreen = useRowsOnScreen(viewportRef, listboxId, status === 'error' ? '' : items.map((item) => item.id).join(','));
  const primary = browse.primary;
  const onScreenKey = primary ? [...onScreen].sort((a, b) => a - b).map((index) => items[index] && detailsKey(primary, items[index])).join(',') : '';
  // Asked only for the rows on screen; what was asked for rows gone from it is cancelled.
  useEffect(() => {
    if (!primary) return;
    showDetails(primary, [...onScreen].sort((a, b) => a - b).flatMap((index) => (items[index] ? [items[index]] : [])));
    // onScreenKey stands for onScreen and items together.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [onScreenKey, primary, showDetails]);
  const canLoadMore = status === 'ready' && nextStart !== null && !loadingMore && !moreError;

  // Infinite scroll: the end of the list coming into view asks for the next page.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !canLoadMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) loadMore();
    }, { root: viewportRef.current, rootMargin: '0px 0px 64px 0px' });
    observer.observe(target);
    return () => observer.disconnect();
  }, [canLoadMore, loadMore, viewportRef, items.length]);

  // The rows answer an earlier search while the newer one is typed or on its way: dimmed.
  const searching = status === 'loading' || (status === 'ready' && !showsCurrentSearch(browse));
  const searchedFor = shown?.query ?? '';
  const filtered = Boolean(shown?.query || shown?.projectKey);

  let body;
  if (status === 'error' && error) {
    body = (
      <div className="browser__state" data-testid="browse-error-state">
        <ErrorMessage error={error} title="Could not list the repositories." testId="browse-error" />
        {error.code === 'UNAUTHORIZED' ? (
          <BrowseTokenForm />
        ) : (
          <button type="button" className="button button--small" onClick={retry}>Retry</button>
        )}
      </div>
    );
  } else if (items.length === 0 && (status === 'loading' || status === 'idle')) {
    body = <SkeletonRows count={visibleRows} />;
  } else if (items.length === 0) {
    body = (
      <div className="browser__state browser__state--empty" data-testid="browse-empty">
        <p className="browser__empty-title">
          {searchedFor ? <>No repositories match ‘{searchedFor}’{shown?.projectKey ? ` in ${shown.projectKey}` : ''}.</> : shown?.projectKey ? `${shown.projectKey} has no repositories you can read.` : 'This primary has no repositories you can read.'}
        </p>
        <p className="muted">{filtered ? 'Check the spelling, or search all projects. Only repository names are searched.' : 'Ask a project administrator for read access.'}</p>
        {filtered && (
          <div className="form-actions">
            {query && <button type="button" className="button button--small" onClick={() => setQuery('', { immediate: true })}>Clear search</button>}
            {projectKey && <button type="button" className="button button--small" onClick={() => setProject(undefined)}>All projects</button>}
          </div>
        )}
      </div>
    );
  } else {
    body = (
      <>
        <ul
          id={listboxId}
          role="listbox"
          aria-label="Repositories"
          aria-busy={searching}
          className={`browser__list${searching ? ' browser__list--stale' : ''}`}
          data-query={searchedFor}
          data-project={shown?.projectKey ?? ''}
          data-testid="browse-list"
        >
          {items.map((repository, index) => (
            <RepositoryBrowserRow
              key={repository.id}
              id={optionId(index)}
              repository={repository}
              query={searchedFor}
              active={index === activeIndex}
              picked={pickedKey === `${repository.projectKey}/${repository.slug}`.toUpperCase()}
              details={primary ? details[detailsKey(primary, repository)] : undefined}
              checked={checked[repositoryKey(repository)] !== undefined}
              onPick={() => onPick(index)}
              onHover={() => onHover(index)}
              onCheck={(extend) => onCheck(index, extend)}
            />
          ))}
        </ul>
        {loadingMore && <SkeletonRows count={3} />}
        <div ref={sentinel} className="browser__sentinel" />
        <div className="browser__end">
          {moreError ? (
            <div className="browser__more-error">
              <ErrorMessage error={moreError} title="Could not load more repositories." testId="browse-more-error" />
              <button type="button" className="button button--small" onClick={retry}>Retry</button>
            </div>
          ) : nextStart !== null ? (
            <button type="button" className="button button--small button--quiet" onClick={loadMore} disabled={loadingMore || searching} data-testid="browse-load-more">
              {loadingMore ? 'Loading more…' : 'Load more'}
            </button>
          ) : (
            <span className="muted">End of the list</span>
          )}
        </div>
      </>
    );
  }

  return (
    <div ref={viewportRef} className="browser__viewport" data-testid="browse-viewport" aria-busy={searching || loadingMore} style={{ height: viewportHeight(status === 'error' ? undefined : wholeListing) }}>
      {body}
    </div>
  );
}
