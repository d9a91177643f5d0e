/**
 * Git LFS in the app. After a clone: its LFS files, how many, how big, which server delivered
 * them; and, when git-lfs is missing or a server could not deliver some, what the user has and
 * what to run. Before a clone: the outlook (LargeFilesOutlookNote).
 */
import type { Candidate, CloneResult, LargeFilesOutlook } from '../../../shared/contract';
import { describeLargeFiles } from '../../../shared/large-files-outlook';
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

/**
 * Before the clone: that the repository keeps large files in Git LFS and where they will be
 * asked for (the server picked above), and with no git-lfs on this computer, a warning saying
 * what the clone will hold and how to install it. Nothing when the repository does not use LFS.
 */
export function LargeFilesOutlookNote({ outlook, server }: { outlook: LargeFilesOutlook; server: Candidate | undefined }) {
  const { notice, warning } = describeLargeFiles(outlook, server);
  if (!notice && !warning) return null;
  return (
    <div className="large-files-outlook" data-testid="large-files-outlook" data-uses-lfs={outlook.usesLfs}>
      {notice && <p className={outlook.usesLfs === 'unknown' ? 'muted' : undefined}>{notice}</p>}
      {warning && (
        <p className="large-files-outlook__warning" role="status" data-testid="git-lfs-missing">
          {warning}
        </p>
      )}
    </div>
  );
}
