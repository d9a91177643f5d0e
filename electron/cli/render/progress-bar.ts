/**
 * A one-line progress bar for terminals: phase, bar, percent, bytes of the expected size, rate,
 * time left (or "estimating…") and source; and the line a finished clone ends on. The figures are
 * worded by shared/format.ts, as the app words them.
 */
import type { CloneJob, CloneSource, GitProgressData } from '../../../shared/contract';
import { formatDuration, formatTransferSummary, transferFigures } from '../../../shared/format';

export { formatBytes } from '../../../shared/format';

const phaseNames: Record<GitProgressData['phase'], string> = {
  connecting: 'Connecting',
  counting: 'Counting',
  compressing: 'Compressing',
  receiving: 'Receiving',
  resolving: 'Resolving',
  'checking-out': 'Checking out',
  'large-files': 'Large files',
  done: 'Done',
};

export function renderProgressLine(progress: GitProgressData, source: CloneSource, width = 24): string {
  const filled = Math.round(progress.value * width);
  const figures = transferFigures(progress);
  const parts = [
    phaseNames[progress.phase].padEnd(12),
    `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`,
    `${String(Math.floor(progress.value * 100)).padStart(3)}%`,
    ...[figures.bytes, figures.rate, figures.remaining].filter((figure): figure is string => figure !== undefined),
    `from ${source.name}`,
  ];
  return parts.join('  ');
}

/**
 * The line a clone ends on: where, from which server, how much, how long, how fast.
 * "Cloned into /src/repo from near (mirror): 50 MB in 23 s (2.2 MB/s); 24 s in all."
 */
export function renderCloneSummary(job: CloneJob): string {
  const result = job.result!;
  const transfer = job.attempts.findLast((attempt) => attempt.ok && attempt.source.id === result.source.id);
  // After a Git LFS phase the last progress counts the large files, not the transfer the attempt
  // timed: those bytes are said on the large-files line, so here only the time in all.
  const received = job.progress?.phase === 'large-files' ? undefined : job.progress?.receivedBytes;
  const moved = transfer ? formatTransferSummary(received, transfer.durationMs) : undefined;
  const total = formatDuration(result.durationMs / 1000);
  const kind = result.source.kind === 'primary' ? '' : ' (mirror)';
  return `Cloned into ${result.path} from ${result.source.name}${kind}: ${moved ? `${moved}; ${total} in all` : `${total} in all`}.`;
}
