/**
 * A finished clone's Git LFS files: how many, how big, which server delivered them; and, when
 * git-lfs is missing or a server could not deliver some, what the user has and what to run.
 */
import type { CloneResult } from '../../../shared/contract';
import { formatBytes, formatServedBy } from '../format';

export function LargeFilesNote({ largeFiles }: { largeFiles: NonNullable<CloneResult['largeFiles']> }) {
  const from = formatServedBy(largeFiles.servedBy);
  return (
    <p className="job__result" data-testid="job-large-files" data-state={largeFiles.state}>
      {largeFiles.state !== 'pointers' && (
        <span>
          Large files (Git LFS): {largeFiles.files} file{largeFiles.files === 1 ? '' : 's'}, {formatBytes(largeFiles.bytes)}
          {from && <span className="muted"> from {from}</span>}.{' '}
        </span>
      )}
      {largeFiles.warning && <span className="warn-text" role="status">{largeFiles.warning}</span>}
    </p>
  );
}
