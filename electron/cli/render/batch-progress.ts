/**
 * What a batch of clones shows on a terminal: one overall line kept up to date (repositories
 * present of all, bytes, rate, time left), a line per repository as it ends, and a summary that
 * names every failure with what to do about it. Also the one JSON object `--json` prints.
 */
import type { BatchItem, CloneBatch } from '../../../shared/contract';
import { estimatingLabel, formatBytes, formatDuration, formatRate, formatRemaining } from '../../../shared/format';

export function renderBatchLine(batch: CloneBatch): string {
  const { totals } = batch;
  const cloning = batch.items.filter((item) => item.state === 'cloning').length;
  const parts = [
    `${totals.done} of ${totals.repositories} done`,
    formatBytes(totals.receivedBytes),
    ...(totals.bytesPerSecond !== null ? [formatRate(totals.bytesPerSecond)] : []),
    totals.etaSeconds !== null ? formatRemaining(totals.etaSeconds) : estimatingLabel,
    batch.concurrency === null ? 'measuring the link…' : `${cloning} running (${batch.concurrency} at once)`,
    ...(totals.failed > 0 ? [`${totals.failed} failed`] : []),
  ];
  return parts.join('  ·  ');
}

/** The line a repository ends on (undefined while it runs, and for one a cancel stopped). */
function renderItemLine(item: BatchItem): string | undefined {
  if (item.alreadyThere) return `= ${item.repository}: already at ${item.path}, left alone`;
  if (item.state === 'done') {
    const from = item.source ? ` from ${item.source.name}${item.source.kind === 'mirror' ? ' (mirror)' : ''}` : '';
    const size = item.receivedBytes !== undefined ? `${formatBytes(item.receivedBytes)} ` : '';
    const took = item.durationMs !== undefined ? `in ${formatDuration(item.durationMs / 1000)}` : '';
    return `✓ ${item.repository} → ${item.path}${from}${size || took ? `: ${size}${took}`.trimEnd() : ''}`;
  }
  if (item.state === 'failed') return `✗ ${item.repository}: ${item.error?.message ?? 'failed'}`;
  return undefined;
}

/** Lines for the repositories that ended since the last call (`printed` remembers which were said). */
export function renderBatchItemLines(batch: CloneBatch, printed: Set<string>): string[] {
  const lines: string[] = [];
  for (const item of batch.items) {
    if (printed.has(item.repository)) continue;
    const line = renderItemLine(item);
    if (line === undefined) continue;
    printed.add(item.repository);
    lines.push(line);
  }
  return lines;
}

/** The end of a run: counts on one line, then each failure with its hint. */
export function renderBatchSummary(batch: CloneBatch, elapsedMs: number): { summary: string; failures: string[] } {
  const { totals } = batch;
  const cloned = totals.done - totals.alreadyThere;
  const counts = [`${cloned} cloned`, ...(totals.alreadyThere > 0 ? [`${totals.alreadyThere} already there`] : []), ...(totals.failed > 0 ? [`${totals.failed} failed`] : []), ...(totals.cancelled > 0 ? [`${totals.cancelled} cancelled`] : [])];
  const how = batch.concurrency === null ? '' : `; ${batch.concurrencyReason}`;
  const summary = `${totals.repositories} repositor${totals.repositories === 1 ? 'y' : 'ies'}: ${counts.join(', ')} in ${formatDuration(elapsedMs / 1000)} (${formatBytes(totals.receivedBytes)}${how}).`;
  const failures = batch.items
    .filter((item) => item.state === 'failed')
    .flatMap((item) => {
      const hint = item.error?.terminalHint ?? item.error?.hint;
      return [`  ${item.repository} (${item.path}): ${item.error?.message ?? 'failed'}`, ...(hint ? [`    ${hint}`] : [])];
    });
  return { summary, failures };
}

/** The object `clone --project/--from/--into ... --json` prints. */
export function batchJson(batch: CloneBatch, elapsedMs: number) {
  const { totals } = batch;
  return {
    repositories: batch.items.map((item) => ({
      repository: item.repository,
      path: item.path,
      ok: item.state === 'done',
      alreadyThere: item.alreadyThere,
      source: item.source ?? null,
      ...(item.receivedBytes !== undefined && !item.alreadyThere ? { receivedBytes: item.receivedBytes } : {}),
      ...(item.durationMs !== undefined ? { durationMs: item.durationMs } : {}),
      ...(item.error ? { error: { code: item.error.code, message: item.error.message, ...((item.error.terminalHint ?? item.error.hint) ? { hint: item.error.terminalHint ?? item.error.hint } : {}) } } : {}),
    })),
    totals: {
      repositories: totals.repositories,
      cloned: totals.done - totals.alreadyThere,
      alreadyThere: totals.alreadyThere,
      failed: totals.failed,
      cancelled: totals.cancelled,
      receivedBytes: totals.receivedBytes,
      durationMs: Math.round(elapsedMs),
    },
    concurrency: { jobs: batch.concurrency, reason: batch.concurrencyReason },
  };
}
