/**
 * The Clone panel for the repository just discovered: every candidate with its live latency and
 * status, the recommendation and why, a radio to pick another, and the clone options.
 */
import { useEffect, useId, useState } from 'react';
import { useDiscovery, useRepositoryDetails } from '../state/stores';
import { isFieldError, isReferenceError } from '../state/discovery-slice';
import { detailsKey } from '../state/repository-details-slice';
import { RepositoryFacts } from './RepositoryFacts';
import { formatBytes, formatMs } from '../format';
import { formatWhen, useNow } from '../relative-time';
import { latencyScaleMs } from '../../../shared/latency';
import type { DiscoveryResult } from '../../../shared/contract';
import { CandidateRow, rowSamples, useExpectedSamples } from './CandidateRow';
import { LatencyLegend, latencyFigure } from './LatencyBar';
import { CloneOptions } from './CloneOptions';
import { ErrorMessage } from './ErrorMessage';
import { LargeFilesOutlookNote } from './LargeFilesNote';

/**
 * "Measured just now in 935 ms", or for a reused measurement "Measured 3 min ago (reused)"; with
 * what the short throughput transfer cost when one was made.
 */
function MeasuredWhen({ result }: { result: DiscoveryResult }) {
  const now = useNow();
  if (result.fromCache) return <>Measured {formatWhen(Date.parse(result.measuredAt), now)} on this network (reused)</>;
  const probe = result.throughputProbe;
  return (
    <>
      Measured just now in {formatMs(result.durationMs)}
      {probe && (
        <span data-testid="throughput-probe-cost">
          , throughput with {formatBytes(probe.bytes)} from {probe.servers} server{probe.servers === 1 ? '' : 's'}
        </span>
      )}
    </>
  );
}

export function ClonePanel() {
  const discovery = useDiscovery((state) => state);
  const { runId, repository, primary, pending, live, announced, order, result, error, run, origin } = discovery;
  const [picked, setPicked] = useState<{ runId?: string; id: string } | undefined>(undefined);
  const groupName = useId();
  const expectedSamples = useExpectedSamples();
  const wantDetails = useRepositoryDetails((state) => state.want);
  const found = result?.repository;
  const details = useRepositoryDetails((state) => (found ? state.entries[detailsKey(found.primaryBaseUrl, found)] : undefined));
  useEffect(() => {
    if (found) wantDetails(found.primaryBaseUrl, { projectKey: found.projectKey, slug: found.slug });
  }, [found, wantDetails]);
  // A reference typed wrong is said under the paste field, not here.
  if (!runId || isFieldError(discovery)) return null;

  // 'auto' keeps the helper's choice; a pick from this run overrides it.
  const selection = picked && picked.runId === runId ? picked.id : 'auto';
  const chosenId = result?.chosen ?? undefined;
  const selectedId = selection === 'auto' ? chosenId : selection;
  // While measuring, the primary leads as it does in the result, so rows barely move when it arrives.
  const ids = result ? result.candidates.map((candidate) => candidate.id) : [...order].sort((a, b) => Number(b === 'primary') - Number(a === 'primary'));
  // One scale for the whole table: every row's figure (median, lower bound, or live median).
  const figures = ids.map((id) => {
    const candidate = result?.candidates.find((entry) => entry.id === id);
    return latencyFigure({ samples: rowSamples(candidate, live[id]), rttMs: candidate?.rttMs, slowerThanMs: candidate?.slowerThanMs, expected: expectedSamples });
  });
  const scaleMs = latencyScaleMs(figures.flatMap((figure) => (figure.kind === 'none' ? [] : [figure.ms])));
  // What was pasted may be a long URL: the panel is titled by the repository once it is known.
  const title = result ? `${result.repository.projectKey}/${result.repository.slug}` : origin === 'list' ? repository : pending ? 'Finding the repository…' : 'The repository could not be looked up';

  return (
    <section className="panel clone-panel" aria-labelledby={`${groupName}-title`} data-testid="clone-panel" aria-busy={pending}>
      <header className="panel__header">
        <h2 id={`${groupName}-title`} className="panel__title">{title}</h2>
        {found && <RepositoryFacts entry={details} sizeBytes={found.sizeBytes} className="clone-panel__facts" testId="clone-panel-facts" />}
        <span className="muted" data-testid="discovery-status">
          {pending && <><span className="spinner" aria-hidden="true" /> Measuring how close each server is…</>}
          {result && <MeasuredWhen result={result} />}
        </span>
        {/* Measuring again helps a result or a failure on the way (network, server); never a wrong reference. */}
        {(result || (error && !isReferenceError(error))) && repository && (
          <button type="button" className="button button--small panel__action" onClick={() => void run(repository, primary, { refresh: true, origin })}>
            {result ? 'Measure again' : 'Try again'}
          </button>
        )}
      </header>
      {error && <ErrorMessage error={error} title="Could not find this repository." testId="discovery-error" />}
      {/* Always there, so the rows below do not move when the result arrives. */}
      {!error && (
        <p className="clone-panel__reason">
          {result ? (
            <span data-testid="discovery-reason">
              {result.reason}
              {result.mirroring === 'not-available' && <span className="muted"> Mirroring is not available on this primary.</span>}
            </span>
          ) : (
            <span className="muted">Asking the primary which servers hold it, then timing each one…</span>
          )}
        </p>
      )}
      {!error && (
        <fieldset className="candidates">
          <legend className="candidates__legend">Clone from</legend>
          <div className="candidates__head" aria-hidden="true">
            <span />
            <span>Server</span>
            <span>Status</span>
            <span>Round trip</span>
            <span>Expected</span>
            <span>Throughput</span>
            <span>Why</span>
          </div>
          <ul className="candidates__list">
            {ids.length === 0 && pending && <li className="candidates__waiting muted">Asking the primary which mirrors hold this repository…</li>}
            {ids.map((id) => (
              <CandidateRow
                key={id}
                id={id}
                candidate={result?.candidates.find((candidate) => candidate.id === id)}
                announced={announced[id]}
                live={live[id]}
                measuring={pending}
                recommended={id === chosenId}
                selected={id === selectedId}
                groupName={groupName}
                scaleMs={scaleMs}
                onSelect={(next) => setPicked({ runId, id: next === chosenId ? 'auto' : next })}
              />
            ))}
          </ul>
          {figures.some((figure) => figure.kind !== 'none') && <LatencyLegend scaleMs={scaleMs} stopped={figures.some((figure) => figure.kind === 'at-least')} />}
        </fieldset>
      )}
      {result && !error && <LargeFilesOutlookNote outlook={result.largeFiles} server={result.candidates.find((candidate) => candidate.id === selectedId)} />}
      {/* Stays mounted across runs: the folder typed is kept and the panel keeps its height. */}
      {!error && <CloneOptions runId={runId} result={result} source={selection} server={result?.candidates.find((candidate) => candidate.id === selectedId)} />}
    </section>
  );
}
