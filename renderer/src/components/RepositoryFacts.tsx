/**
 * A repository's size and last change, as one quiet line: "12 MB · changed 3 days ago". The size
 * is the primary's estimate; when it did not say, "size unknown" (never "0 B").
 */
import { useNow } from '../relative-time';
import { describeRepositoryFacts, describeSize } from '../repository-facts';
import { formatBytes } from '../format';
import type { DetailsEntry } from '../state/repository-details-slice';

/** `sizeBytes`, when given, is a size known already (from discovery): it wins over an unknown one. */
export function RepositoryFacts({ entry, sizeBytes, className, testId }: { entry?: DetailsEntry; sizeBytes?: number | null; className?: string; testId?: string }) {
  const now = useNow(60_000);
  let text: string;
  if (entry?.state === 'ready') text = describeRepositoryFacts({ ...entry.details, sizeBytes: entry.details.sizeBytes ?? sizeBytes ?? null }, now);
  else if (entry?.state === 'unknown') text = describeSize(sizeBytes ?? null, undefined);
  else text = sizeBytes ? formatBytes(sizeBytes) : '';
  const loading = !entry || entry.state === 'loading';
  const lastChange = entry?.state === 'ready' ? entry.details.lastChange : null;
  return (
    <span
      className={className}
      data-testid={testId}
      data-state={entry?.state ?? 'loading'}
      aria-busy={loading && !text ? true : undefined}
      title={lastChange ? `Last change ${new Date(lastChange.at).toLocaleString()}${lastChange.author ? ` by ${lastChange.author}` : ''}` : undefined}
    >
      {text || <span className="muted" aria-hidden="true">…</span>}
    </span>
  );
}
