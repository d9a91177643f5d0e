/**
 * `mirror-clone discover` for people: one row per candidate with a latency bar, its status, the
 * expected clone time and throughput ("—" when not known), the chosen one marked, and the reason
 * line. Bars are scaled to the slowest measured candidate. With names of up to 10 characters a
 * row fits in 100 columns.
 */
import type { Candidate, DiscoveryResult } from '../../../shared/contract';
import { formatBytes, formatDuration, formatExpectedTime, formatRate } from '../../../shared/format';
import { latencyText, stoppedEarlyWords } from '../../../shared/latency';

const barWidth = 12;
const unknown = '—';

/** Where a throughput figure comes from, as a short tag the footnotes explain. */
const sourceTags = { probe: '(now)', transfers: '(earlier)' } as const;

function expected(candidate: Candidate): string {
  return candidate.expectedMs === null ? unknown : formatExpectedTime(candidate.expectedMs);
}

function throughput(candidate: Candidate): string {
  if (candidate.throughputBytesPerSec === null) return unknown;
  const tag = candidate.throughputFrom ? ` ${sourceTags[candidate.throughputFrom]}` : '';
  return `${formatRate(candidate.throughputBytesPerSec)}${tag}`;
}

/** What the tags mean, for those that appear; with what the short measurement cost. */
function throughputNotes(result: DiscoveryResult): string[] {
  const notes: string[] = [];
  const from = new Set(result.candidates.filter((candidate) => candidate.throughputBytesPerSec !== null).map((candidate) => candidate.throughputFrom));
  if (from.has('probe')) {
    const probe = result.throughputProbe;
    const cost = probe ? `: ${formatBytes(probe.bytes)} from ${probe.servers} server${probe.servers === 1 ? '' : 's'} in ${formatDuration(probe.durationMs / 1000)}` : '';
    notes.push(`${sourceTags.probe}: throughput measured just now with a short transfer${cost}.`);
  }
  if (from.has('transfers')) notes.push(`${sourceTags.transfers}: throughput remembered from earlier transfers on this network.`);
  return notes;
}

/** The same figure the app shows ("255 ms", "≥ 100 ms"), with the spread of the round trips. */
function latency(candidate: Candidate): string {
  const spread = candidate.rttMs !== null && candidate.spreadMs !== null ? ` ±${candidate.spreadMs < 10 ? candidate.spreadMs.toFixed(1) : Math.round(candidate.spreadMs)}` : '';
  return `${latencyText(candidate)}${spread}`;
}

function bar(ms: number | null, scaleMs: number): string {
  if (ms === null || scaleMs <= 0) return ' '.repeat(barWidth);
  const filled = Math.max(1, Math.round((Math.min(ms, scaleMs) / scaleMs) * barWidth));
  return '█'.repeat(filled) + '░'.repeat(barWidth - filled);
}

export function renderDiscoveryTable(result: DiscoveryResult): string {
  const { repository } = result;
  const scaleMs = Math.max(0, ...result.candidates.map((candidate) => candidate.rttMs ?? candidate.slowerThanMs ?? 0));
  const nameWidth = Math.max(9, ...result.candidates.map((candidate) => candidate.name.length));
  const expectedWidth = Math.max(8, ...result.candidates.map((candidate) => expected(candidate).length));
  const size = repository.sizeBytes ? `, ${formatBytes(repository.sizeBytes)}` : '';
  const lines = [`${repository.projectKey}/${repository.slug} on ${repository.primaryBaseUrl} (repository id ${repository.id}${size})`];
  if (result.mirroring === 'not-available') lines.push('Mirroring is not available on this primary: the primary only.');
  lines.push('');
  const head = `  ${'CANDIDATE'.padEnd(nameWidth)}  ${'KIND'.padEnd(7)}  ${'STATUS'.padEnd(12)}  ${'LATENCY'.padEnd(13)}  ${''.padEnd(barWidth)}  ${'EXPECTED'.padEnd(expectedWidth)}  THROUGHPUT`;
  lines.push(head);
  for (const candidate of result.candidates) {
    const marker = candidate.chosen ? '▶' : ' ';
    const kind = candidate.manual ? 'manual' : candidate.kind;
    const ms = candidate.rttMs ?? candidate.slowerThanMs;
    lines.push(
      `${marker} ${candidate.name.padEnd(nameWidth)}  ${kind.padEnd(7)}  ${candidate.status.padEnd(12)}  ${latency(candidate).padEnd(13)}  ${bar(ms, scaleMs)}  ${expected(candidate).padEnd(expectedWidth)}  ${throughput(candidate)}`.trimEnd(),
    );
  }
  lines.push('');
  lines.push(result.chosen ? `Chosen: ${result.reason}` : result.reason);
  // Most reasons name their server ("near could not be reached"); those that do not get its name.
  const notes = result.candidates
    .filter((candidate) => !candidate.chosen && candidate.status !== 'healthy')
    .map((candidate) => `  ${candidate.reason.startsWith(candidate.name) ? candidate.reason : `${candidate.name}: ${candidate.reason}`}`);
  if (notes.length > 0) lines.push('Not used:', ...notes);
  if (result.candidates.some((candidate) => candidate.rttMs === null && candidate.slowerThanMs !== null)) lines.push(`≥: ${stoppedEarlyWords}.`);
  lines.push(...throughputNotes(result));
  if (result.candidates.some((candidate) => candidate.insecure)) lines.push('Warning: some servers use plain http; data and credentials travel unencrypted.');
  return `${lines.join('\n')}\n`;
}

/** The `--json` shape: exactly the fields scripts rely on. */
export function discoveryJson(result: DiscoveryResult) {
  return {
    repository: result.repository,
    mirroring: result.mirroring,
    reason: result.reason,
    decidedBy: result.decidedBy,
    // How long deciding took, and what a throughput measurement cost when one was needed.
    durationMs: result.durationMs,
    throughputProbe: result.throughputProbe,
    candidates: result.candidates.map((candidate) => ({
      name: candidate.name,
      kind: candidate.kind,
      baseUrl: candidate.baseUrl,
      cloneUrls: { http: candidate.cloneUrls.http ?? null, ssh: candidate.cloneUrls.ssh ?? null },
      status: candidate.status,
      available: candidate.available,
      rttMs: candidate.rttMs,
      spreadMs: candidate.spreadMs,
      samples: candidate.samples,
      behind: candidate.behind,
      behindForMs: candidate.behindForMs,
      throughputBytesPerSec: candidate.throughputBytesPerSec,
      throughputFrom: candidate.throughputFrom,
      expectedMs: candidate.expectedMs,
      chosen: candidate.chosen,
      reason: candidate.reason,
      id: candidate.id,
    })),
  };
}
