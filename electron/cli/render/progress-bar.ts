/** A one-line progress bar for terminals: phase, bar, percent, bytes, rate, ETA and source. */
import type { CloneSource, GitProgressData } from '../../../shared/contract';

const phaseNames: Record<GitProgressData['phase'], string> = {
  connecting: 'Connecting',
  counting: 'Counting',
  compressing: 'Compressing',
  receiving: 'Receiving',
  resolving: 'Resolving',
  'checking-out': 'Checking out',
  done: 'Done',
};

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, '0')}`;
}

export function renderProgressLine(progress: GitProgressData, source: CloneSource, width = 24): string {
  const filled = Math.round(progress.value * width);
  const parts = [
    phaseNames[progress.phase].padEnd(12),
    `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`,
    `${String(Math.floor(progress.value * 100)).padStart(3)}%`,
  ];
  if (progress.receivedBytes !== undefined) parts.push(formatBytes(progress.receivedBytes));
  if (progress.bytesPerSecond !== undefined) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  if (progress.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(progress.etaSeconds)}`);
  parts.push(`from ${source.name}`);
  return parts.join('  ');
}
