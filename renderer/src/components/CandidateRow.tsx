/**
 * One server that may serve the clone: its name, kind, status, latency, expected clone time and
 * throughput, and whether it is recommended.
 */
import type { Candidate, CandidateStatus } from '../../../shared/contract';
import type { AnnouncedCandidate, LiveLatency } from '../state/discovery-slice';
import { LatencyBar } from './LatencyBar';
import { useSettings } from '../state/stores';
import { expectedTimeText, isSelectable, statusNote, throughputSource, throughputText, unknownExpectedWords, unknownFigure, unknownThroughputWords } from '../candidate-figures';

const statusLabels: Record<CandidateStatus, string> = {
  healthy: 'healthy',
  behind: 'behind',
  'out-of-sync': 'out of sync',
  'not-mirrored': 'not mirrored',
  initializing: 'initializing',
  'mirror-error': 'mirror error',
  disabled: 'disabled',
  unhealthy: 'unhealthy',
  unreachable: 'unreachable',
  'unsafe-url': 'unsafe URL',
  unknown: 'measuring',
};

const statusTone: Record<CandidateStatus, 'ok' | 'warn' | 'bad' | 'muted'> = {
  healthy: 'ok',
  behind: 'warn',
  'out-of-sync': 'bad',
  'not-mirrored': 'muted',
  initializing: 'warn',
  'mirror-error': 'bad',
  disabled: 'muted',
  unhealthy: 'warn',
  unreachable: 'bad',
  'unsafe-url': 'bad',
  unknown: 'muted',
};

/** The round trips of one row: those streamed in (they go on after the result), else the result's. */
export function rowSamples(candidate: Candidate | undefined, live: LiveLatency | undefined): number[] {
  return live?.samples.length ? live.samples : (candidate?.samples ?? []);
}

/** How many round trips each server gets: the "n/N" shown while they stream in. */
export function useExpectedSamples(): number {
  return useSettings((state) => state.settings?.probeSamples ?? 5);
}

export interface CandidateRowProps {
  id: string;
  candidate?: Candidate;
  /** Name, kind and status known before the result, from `discovery.candidates`. */
  announced?: AnnouncedCandidate;
  live?: LiveLatency;
  measuring: boolean;
  recommended: boolean;
  selected: boolean;
  groupName: string;
  /** The end of the latency scale every row of this table shares. */
  scaleMs: number;
  onSelect(id: string): void;
}

export function CandidateRow({ id, candidate, announced, live, measuring, recommended, selected, groupName, scaleMs, onSelect }: CandidateRowProps) {
  const name = candidate?.name ?? announced?.name ?? (id === 'primary' ? 'Primary' : `Mirror ${id.slice(0, 8)}`);
  const kind = candidate?.kind ?? announced?.kind ?? (id === 'primary' ? 'primary' : 'mirror');
  // A server that is not offered (disabled, not mirrored…) is final as announced; the others are being timed.
  const notTimed = announced !== undefined && !announced.offered;
  const status: CandidateStatus = candidate?.status ?? (notTimed ? announced.status : 'unknown');
  const selectable = candidate ? isSelectable(candidate) : false;
  const samples = rowSamples(candidate, live);
  const inputId = `${groupName}-${id}`;
  const expectedSamples = useExpectedSamples();
  return (
    <li className={`candidate${selected ? ' candidate--selected' : ''}${recommended ? ' candidate--recommended' : ''}`} data-testid="candidate" data-candidate-id={id} data-name={name} data-status={status}>
      <input
        type="radio"
        id={inputId}
        name={groupName}
        className="candidate__radio"
        checked={selected}
        disabled={!selectable}
        onChange={() => onSelect(id)}
      />
      <label htmlFor={inputId} className="candidate__name">
        {name}
        <span className="candidate__kind">{kind}{candidate?.manual ? ' · added by hand' : ''}</span>
      </label>
      <span className="candidate__status">
        <span className={`pill pill--${statusTone[status]}`} data-testid="candidate-status">
          {statusLabels[status]}
        </span>
        {statusNote(status) && (
          <span className="candidate__note" data-testid="candidate-status-note">
            {statusNote(status)}
          </span>
        )}
      </span>
      <LatencyBar
        label={`${name} round trip`}
        samples={samples}
        rttMs={candidate?.rttMs}
        slowerThanMs={candidate?.slowerThanMs}
        expected={expectedSamples}
        measuring={measuring && !notTimed}
        scaleMs={scaleMs}
      />
      <TransferFigures candidate={candidate} pending={measuring && !notTimed} />
      <span className="candidate__reason" data-testid="candidate-reason">
        {recommended && <span className="badge badge--accent">Recommended</span>}
        {candidate ? candidate.reason : notTimed ? 'Not offered for cloning.' : measuring ? 'Measuring round trips…' : ''}
      </span>
    </li>
  );
}

/**
 * The expected clone time and the throughput, each in its own column on a wide table. Until the
 * result arrives they are not known; a row the result has no figure for says "—".
 */
function TransferFigures({ candidate, pending }: { candidate?: Candidate; pending: boolean }) {
  const waiting = !candidate && pending;
  const placeholder = waiting ? '…' : unknownFigure;
  const source = candidate ? throughputSource(candidate) : undefined;
  const throughput = candidate ? throughputText(candidate) : placeholder;
  return (
    <span className="candidate__figures">
      {/* The column heads are hidden from screen readers (rows stack on narrow windows): each figure says what it is. */}
      <span className="candidate__expected" title={candidate?.expectedMs === null ? unknownExpectedWords : undefined}>
        <span className="candidate__label">Expected clone time: </span>
        <span data-testid="candidate-expected">{candidate ? expectedTimeText(candidate) : placeholder}</span>
      </span>
      <span className="candidate__throughput" title={source?.long ?? (candidate && throughput === unknownFigure ? unknownThroughputWords : undefined)}>
        <span className="candidate__label">Throughput: </span>
        <span data-testid="candidate-throughput">{throughput}</span>
        {source && (
          <span className="candidate__source" data-testid="candidate-throughput-source" data-from={candidate?.throughputFrom ?? undefined}>
            {source.short}
          </span>
        )}
      </span>
    </span>
  );
}
