/**
 * Keyboard movement in the repository list (a combobox: focus stays in the search box, the
 * active row is pointed at with aria-activedescendant). Pure, so every key is unit-tested.
 *
 * The active row belongs to one listing (`listKey`): a new search starts again at its first
 * row, without an effect resetting anything. Moving past the last loaded row asks for the next
 * page and remembers to land on its first row once it arrives (`advanceFrom`).
 */

export interface ActiveRow {
  listKey: number;
  index: number;
  /** Set while waiting for a page asked for by moving down: the row count before it. */
  advanceFrom?: number;
}

export interface ListView {
  listKey: number;
  count: number;
  hasMore: boolean;
  /** Rows visible at once, for PageUp / PageDown. */
  pageRows: number;
}

export interface Moved {
  handled: true;
  active: ActiveRow;
  /** Ask for the next page. */
  loadMore: boolean;
  /** Enter: the row to open. */
  pick?: number;
}

export type KeyOutcome = { handled: false } | Moved;

/** The row to show as active, once a searched-for page has (or has not yet) arrived. */
export function resolveActive(active: ActiveRow | undefined, view: ListView): number {
  if (view.count === 0) return -1;
  if (!active || active.listKey !== view.listKey) return 0;
  if (active.advanceFrom !== undefined && view.count > active.advanceFrom) return active.advanceFrom;
  return Math.min(Math.max(active.index, 0), view.count - 1);
}

export function moveActive(key: string, active: ActiveRow | undefined, view: ListView): KeyOutcome {
  const current = resolveActive(active, view);
  const last = view.count - 1;
  const at = (index: number, loadMore = false, advanceFrom?: number): Moved => ({
    handled: true,
    active: { listKey: view.listKey, index, ...(advanceFrom === undefined ? {} : { advanceFrom }) },
    loadMore,
  });
  if (view.count === 0) return { handled: false };
  switch (key) {
    case 'ArrowDown':
      if (current < last) return at(current + 1);
      return view.hasMore ? at(current, true, view.count) : at(current);
    case 'ArrowUp':
      return at(Math.max(current - 1, 0));
    case 'PageDown':
      if (current < last) return at(Math.min(current + view.pageRows, last), current + view.pageRows > last && view.hasMore);
      return view.hasMore ? at(current, true, view.count) : at(current);
    case 'PageUp':
      return at(Math.max(current - view.pageRows, 0));
    case 'Home':
      return at(0);
    case 'End':
      return at(last);
    case 'Enter':
      return { ...at(current), pick: current };
    default:
      return { handled: false };
  }
}
