/** One quiet line beside the browser's title: searching, how many rows, or that more are loading. Read out politely. */
import { useBrowse } from '../state/stores';
import { showsCurrentSearch } from '../state/browse-slice';
import { formatRepositoryCount } from '../../../shared/format';

export function RepositoryBrowserStatus() {
  const browse = useBrowse((state) => state);
  const { status, items, nextStart, loadingMore, shown, pickWhenShown } = browse;
  // Typed but not yet asked (the pause after typing): the rows are the previous search's.
  const typing = status === 'ready' && !showsCurrentSearch(browse);
  const count = items.length;
  let text = '';
  if (pickWhenShown) text = 'Searching… Enter opens the first match';
  else if (status === 'loading' || typing) text = 'Searching…';
  else if (loadingMore) text = `${formatRepositoryCount(count)}, loading more…`;
  else if (status === 'ready') text = nextStart === null ? formatRepositoryCount(count) : `${formatRepositoryCount(count)} shown, more to load`;
  const busy = status === 'loading' || typing || loadingMore || Boolean(pickWhenShown);
  return (
    <span className="browser__status muted" role="status" data-testid="browse-status" data-state={status} data-query={shown?.query ?? ''} data-pick-pending={pickWhenShown ? 'true' : undefined}>
      {busy && <span className="spinner" aria-hidden="true" />}
      {text}
    </span>
  );
}
