/**
 * A clone's progress lines: the bar, then percent, phase, bytes of the expected size, rate and
 * the time left ("estimating…" until the rate holds steady), and where it goes. The figures are
 * worded as the command line words them (shared/format.ts). Once a clone in steps is ready to
 * work, the same bar goes on for its history ("Ready to work, history 40%"): one bar, never two.
 */
import type { CloneJob } from '../../../shared/contract';
import { formatBytes, transferFigures } from '../format';

const phaseLabels: Record<string, string> = {
  connecting: 'Connecting',
  counting: 'Counting objects',
  compressing: 'Compressing objects',
  receiving: 'Receiving objects',
  resolving: 'Resolving deltas',
  'checking-out': 'Checking out files',
  'large-files': 'Downloading large files (LFS)',
  done: 'Done',
};

export function CloneProgress({ job, name }: { job: CloneJob; name: string }) {
  const running = job.state === 'discovering' || job.state === 'cloning' || job.state === 'finishing';
  const value = job.state === 'done' ? 1 : (job.progress?.value ?? 0);
  const percent = Math.round(value * 100);
  const progress = job.progress;
  const figures = progress ? transferFigures(progress) : {};
  // Before the first byte, the size to come (when the primary knows it) says what to expect.
  const expected = running && progress?.receivedBytes === undefined && job.expectedBytes ? `${formatBytes(job.expectedBytes)} to download` : undefined;
  const ready = job.ready !== undefined && job.state !== 'done';
  const label = ready ? (running ? `Ready to work, history ${percent}%` : `History stopped at ${percent}%`) : `${percent}%`;

  return (
    <>
      <div className="progress" role="progressbar" aria-label={ready ? `History of ${name}` : `Cloning ${name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="job-progress" data-value={value}>
        <div className="progress__fill" style={{ width: `${percent}%` }} />
      </div>
      <div className="job__details muted" data-testid="job-details">
        <span className="job__percent" data-testid="job-percent">{label}</span>
        {progress && running && <span data-testid="job-phase">{phaseLabels[progress.phase] ?? progress.phase}</span>}
        {expected && <span data-testid="job-expected">{expected}</span>}
        {figures.bytes && <span data-testid="job-bytes">{figures.bytes}</span>}
        {running && figures.rate && <span data-testid="job-rate">{figures.rate}</span>}
        {running && figures.remaining && <span data-testid="job-remaining">{figures.remaining}</span>}
      </div>
    </>
  );
}
