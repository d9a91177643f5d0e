/** The lines a finished clone prints about its Git LFS files: where they came from, and any warning. */
import type { CloneResult } from '../../../shared/contract';
import { formatBytes, formatServedBy } from '../../../shared/format';

export function renderLargeFiles(largeFiles: NonNullable<CloneResult['largeFiles']>): { info?: string; warning?: string } {
  const from = formatServedBy(largeFiles.servedBy);
  const info = largeFiles.state === 'pointers' ? undefined : `  large files (Git LFS): ${largeFiles.files} file(s), ${formatBytes(largeFiles.bytes)}${from ? ` from ${from}` : ''}`;
  return { info, warning: largeFiles.warning ? `Warning: ${largeFiles.warning}` : undefined };
}
