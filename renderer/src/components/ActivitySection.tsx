/**
 * Activity: what the helper did, newest first, with when and, for failures, why: clones (done,
 * failed, cancelled), switches to another server, local mirror syncs that failed. The helper
 * keeps it, so it is the same after a reload or a restart. A finished clone still on disk can be
 * shown in Local clones from here.
 */
import type { ActivityEntry } from '../../../shared/contract';
import { activityCapacity } from '../../../shared/contract';
import { useActivity, useClones, useNavigation, usePrimaries } from '../state/stores';
import { formatDuration } from '../format';
import { hostOf } from '../state/job-title';
import { formatWhen, useNow } from '../relative-time';
import { EmptyState } from './EmptyState';
import { ErrorMessage } from './ErrorMessage';

const outcomeLabels: Record<ActivityEntry['outcome'], string> = { done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };
const outcomePills: Record<ActivityEntry['outcome'], string> = { done: 'ok', failed: 'bad', cancelled: 'muted' };

/** "Cloned", "Switched", "Sync failed": the entry's verb, with its outcome. */
function headline(entry: ActivityEntry): string {
  if (entry.kind === 'clone') return entry.outcome === 'done' ? 'Cloned' : entry.outcome === 'failed' ? 'Clone failed' : 'Clone cancelled';
  if (entry.kind === 'switch') return entry.outcome === 'done' ? 'Switched' : entry.outcome === 'failed' ? 'Switch failed' : 'Switch cancelled';
  return 'Local mirror sync failed';
}

function ActivityItem({ entry, now, showHost }: { entry: ActivityEntry; now: number; showHost: boolean }) {
  const known = useClones((state) => entry.kind !== 'sync' && entry.outcome === 'done' && (state.list?.some((clone) => clone.path === entry.path) ?? false));
  const highlight = useClones((state) => state.highlight);
  const show = useNavigation((state) => state.show);
  const at = Date.parse(entry.at);
  const host = showHost ? hostOf(entry.primaryBaseUrl) : undefined;
  const facts = [entry.detail, entry.durationMs !== undefined ? `in ${formatDuration(entry.durationMs / 1000)}` : undefined, entry.automatic ? 'by the helper on its own' : undefined].filter(Boolean);
  return (
    <li className={`activity activity--${entry.outcome}`} data-testid="activity-entry" data-kind={entry.kind} data-outcome={entry.outcome}>
      <div className="activity__head">
        <span className={`pill pill--${outcomePills[entry.outcome]}`}>{outcomeLabels[entry.outcome]}</span>
        <span className="activity__what">
          {headline(entry)} <span className="activity__repo">{entry.repository}</span>
          {host && <span className="muted"> on {host}</span>}
        </span>
        <time className="activity__when muted" dateTime={entry.at} title={new Date(at).toLocaleString()}>
          {formatWhen(at, now)}
        </time>
      </div>
      {(facts.length > 0 || entry.path) && (
        <p className="activity__facts muted">
          {facts.join(' · ')}
          {facts.length > 0 && entry.path && ' · '}
          {entry.path && <code className="activity__path">{entry.path}</code>}
        </p>
      )}
      {entry.error && (
        <div className="activity__error" data-testid="activity-error" data-code={entry.error.code}>
          <p className="activity__reason">{entry.error.message}</p>
          {entry.error.hint && <p className="activity__hint muted">{entry.error.hint}</p>}
        </div>
      )}
      {known && entry.path && (
        <button
          type="button"
          className="button button--small activity__show"
          onClick={() => {
            highlight(entry.path);
            show('clones');
          }}
        >
          Show in Local clones
        </button>
      )}
    </li>
  );
}

export function ActivitySection() {
  const entries = useActivity((state) => state.entries);
  const loadError = useActivity((state) => state.loadError);
  const showHost = usePrimaries((state) => (state.list?.length ?? 0) > 1);
  const now = useNow(15_000);
  if (entries && entries.length === 0 && !loadError) {
    return (
      <section className="content__section" aria-labelledby="activity-title">
        <h1 id="activity-title" className="content__title">Activity</h1>
        <div data-testid="activity-empty">
          <EmptyState title="Nothing has happened yet">
            <p>Clones, switches to another server and local mirror syncs that failed appear here, with when they happened and, when one failed, why.</p>
          </EmptyState>
        </div>
      </section>
    );
  }
  return (
    <section className="content__section activity-section" aria-labelledby="activity-title" aria-busy={!entries}>
      <h1 id="activity-title" className="content__title">Activity</h1>
      <p className="activity-section__intro muted">
        What the helper did, newest first: clones, switches to another server and failed local mirror syncs. It keeps the last {activityCapacity}, across reloads and restarts.
      </p>
      {loadError && <ErrorMessage error={loadError} title="Could not read the activity." testId="activity-load-error" />}
      {!entries ? (
        !loadError && <p className="muted">Loading…</p>
      ) : (
        <ol className="activity-list" data-testid="activity-list" aria-label="Activity, newest first">
          {entries.map((entry) => <ActivityItem key={entry.id} entry={entry} now={now} showHost={showHost} />)}
        </ol>
      )}
    </section>
  );
}
