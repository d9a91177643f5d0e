/**
 * Sizes, rates and times as people read them, the same in the app and on the command line.
 * Sizes are decimal (1 MB = 1,000,000 bytes), as disks and network links are sold and as most
 * file managers show them; git's own lines use binary units (MiB), which the progress parser
 * converts to bytes before anything is shown.
 */

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Sizes under 10 of a unit keep one decimal ("2.5 MB"), larger ones none ("16 MB"). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // 9.96 rounds to "10.0": show it as the next size up reads ("10 MB").
  const shown = value < 9.95 ? value.toFixed(1) : String(Math.round(value));
  if (shown === '1000' && unit < units.length - 1) return `1.0 ${units[unit + 1]}`;
  return `${shown} ${units[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * "16 MB of 50 MB" while the expected size is ahead of what arrived; just "60 MB" when there is
 * no expected size or the transfer has passed it (the size is the server's estimate).
 */
export function formatTransferred(receivedBytes: number, expectedBytes?: number | null): string {
  if (expectedBytes === undefined || expectedBytes === null || expectedBytes <= 0 || receivedBytes > expectedBytes) return formatBytes(receivedBytes);
  return `${formatBytes(receivedBytes)} of ${formatBytes(expectedBytes)}`;
}

/** A length of time: "0.8 s", "23 s", "4 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  const safe = Math.max(0, seconds);
  if (safe < 10) return `${safe.toFixed(1)} s`;
  const whole = Math.round(safe);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The time left of a transfer, in whole seconds: "about 12 s left", "about 3 min 05 s left". */
export function formatRemaining(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 1) return 'under a second left';
  if (whole < 60) return `about ${whole} s left`;
  return `about ${formatDuration(whole)} left`;
}

/** Shown in place of a time left while the rate is not steady enough to give one. */
export const estimatingLabel = 'estimating…';

/** The transfer figures of a progress update, in the order both surfaces show them. */
export interface TransferFigures {
  /** "16 MB of 50 MB" or "60 MB". */
  bytes?: string;
  /** "2.0 MB/s". */
  rate?: string;
  /** "about 12 s left", or "estimating…" while receiving without a steady rate. */
  remaining?: string;
}

export interface TransferProgressLike {
  phase: string;
  receivedBytes?: number;
  expectedBytes?: number;
  bytesPerSecond?: number;
  etaSeconds?: number;
}

/** What a running transfer shows: bytes (of the expected size), rate, and time left or "estimating…". */
export function transferFigures(progress: TransferProgressLike): TransferFigures {
  const figures: TransferFigures = {};
  if (progress.receivedBytes !== undefined) figures.bytes = formatTransferred(progress.receivedBytes, progress.expectedBytes);
  // The two phases that move bytes over the network: git's download and the Git LFS download.
  if (progress.phase !== 'receiving' && progress.phase !== 'large-files') return figures;
  if (progress.bytesPerSecond) figures.rate = formatRate(progress.bytesPerSecond);
  figures.remaining = progress.etaSeconds === undefined ? estimatingLabel : formatRemaining(progress.etaSeconds);
  return figures;
}

/** The summary of a finished transfer: "50 MB in 23 s (2.2 MB/s)"; without bytes, "in 23 s". */
export function formatTransferSummary(receivedBytes: number | undefined, durationMs: number): string {
  const seconds = durationMs / 1000;
  if (receivedBytes === undefined || receivedBytes <= 0) return `in ${formatDuration(seconds)}`;
  const rate = seconds > 0 ? ` (${formatRate(receivedBytes / seconds)})` : '';
  return `${formatBytes(receivedBytes)} in ${formatDuration(seconds)}${rate}`;
}

/**
 * A predicted length of time, rounded as a forecast should be: "about 3 s", "about 20 s",
 * "about 2 min", "about 1 h 20 min". The figure is an estimate; seconds on a minutes-long
 * prediction would claim a precision it does not have. Under ten seconds whole seconds stay, so
 * that two quick sources side by side (1 s and 4 s) do not read the same.
 */
export function formatExpectedTime(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 9.5) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 57.5) return `about ${Math.round(seconds / 5) * 5} s`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `about ${hours} h${minutes % 60 ? ` ${String(minutes % 60).padStart(2, '0')} min` : ''}`;
}

/** Which servers delivered a clone's large files, e.g. "near (12), Primary (1)"; '' when none. */
export function formatServedBy(servedBy: readonly { name: string; files: number }[]): string {
  return servedBy.map((entry) => `${entry.name} (${entry.files})`).join(', ');
}

/** "1 repository", "3 repositories". */
export function formatRepositoryCount(count: number): string {
  return count === 1 ? '1 repository' : `${count} repositories`;
}
