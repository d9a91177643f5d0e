/** One quiet line beside the browser's title: searching, how many rows, or that more are loading. Read out politely. */
import { useBrowse } from '../state/stores';

export function RepositoryBrowserStatus() {
  const { status, items, nextStart, loadingMore, shown } = useBrowse((state) => state);
  const count = items.length;
  const plural = (n: number) => `${n} ${n === 1 ? 'repository' : 'repositories'}`;
  let text = '';
  if (status === 'loading') text = 'Searching…';
  else if (loadingMore) text = `${plural(count)}, loading more…`;
  else if (status === 'ready') text = nextStart === null ? plural(count) : `${plural(count)} shown, more to load`;
  const busy = status === 'loading' || loadingMore;
  return (
    <span className="browser__status muted" role="status" data-testid="browse-status" data-state={status} data-query={shown?.query ?? ''}>
      {busy && <span className="spinner" aria-hidden="true" />}
      {text}
    </span>
  );
}
