/**
 * A repository's size and last change, as one quiet line: "12 MB · changed 3 days ago". The size
 * is the primary's estimate; when it did not say, "size unknown" (never "0 B").
 */
import type { RepositoryDetails } from '../../../shared/contract';
import { formatBytes } from '../format';
import { formatWhen, useNow } from '../relative-time';

const day = 86_400_000;

/** How long ago, short enough for a list row: "5 min ago", "3 days ago", "4 months ago", "2 years ago". */
export function formatAge(epochMs: number, now: number): string {
  const ago = now - epochMs;
  if (ago < 45 * day) return formatWhen(epochMs, now);
  const months = Math.round(ago / (30.44 * day));
  if (months < 24) return `${months} months ago`;
  return `${Math.floor(ago / (365.25 * day))} years ago`;
}
import type { DetailsEntry } from '../state/repository-details-slice';

export function describeRepositoryFacts(details: RepositoryDetails, now: number): string {
  const size = details.sizeBytes === null ? 'size unknown' : formatBytes(details.sizeBytes);
  return details.lastChange ? `${size} · changed ${formatAge(Date.parse(details.lastChange.at), now)}` : size;
}

/** `sizeBytes`, when given, is a size known already (from discovery): it wins over an unknown one. */
export function RepositoryFacts({ entry, sizeBytes, className, testId }: { entry?: DetailsEntry; sizeBytes?: number | null; className?: string; testId?: string }) {
  const now = useNow(60_000);
  let text: string;
  if (entry?.state === 'ready') text = describeRepositoryFacts({ ...entry.details, sizeBytes: entry.details.sizeBytes ?? sizeBytes ?? null }, now);
  else if (entry?.state === 'unknown') text = sizeBytes == null ? 'size unknown' : formatBytes(sizeBytes);
  else text = sizeBytes == null ? '' : formatBytes(sizeBytes);
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
