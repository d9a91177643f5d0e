/** A repository's size and last change in words, short enough for a row of the browse list. */
import type { RepositoryDetails } from '../../shared/contract';
import { formatBytes } from './format';
import { formatWhen } from './format-when';

const day = 86_400_000;

/** How long ago, short enough for a list row: "5 min ago", "3 days ago", "4 months ago", "2 years ago". */
export function formatAge(epochMs: number, now: number): string {
  const ago = now - epochMs;
  if (ago < 45 * day) return formatWhen(epochMs, now);
  const months = Math.round(ago / (30.44 * day));
  if (months < 24) return `${months} months ago`;
  return `${Math.floor(ago / (365.25 * day))} years ago`;
}

/**
 * The primary counts pack files only: 0 bytes with commits means objects not packed yet (size
 * unknown), 0 bytes without commits an empty repository.
 */
export function describeSize(sizeBytes: number | null, hasCommits: boolean | undefined): string {
  if (sizeBytes === null || sizeBytes === undefined) return 'size unknown';
  if (sizeBytes === 0) return hasCommits === false ? 'empty' : 'size unknown';
  return formatBytes(sizeBytes);
}

export function describeRepositoryFacts(details: RepositoryDetails, now: number): string {
  const size = describeSize(details.sizeBytes, details.lastChange !== null);
  return details.lastChange ? `${size} · changed ${formatAge(Date.parse(details.lastChange.at), now)}` : size;
}

