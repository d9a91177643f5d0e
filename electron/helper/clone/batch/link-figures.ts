/**
 * The figures a batch's concurrency rests on (concurrency.ts), gathered from what the helper
 * already does: a repository's discovery (round trips, its size, and what its source delivered
 * on this network before), and the clone that ran alone when nothing was known yet (its whole
 * time, less its transfer, is the set-up a clone really costs from here).
 */
import type { CloneJob, DiscoveryResult } from '../../../../shared/contract';
import { figuresFromDiscovery, type LinkFigures } from './concurrency';

export const unknownFigures: LinkFigures = { bytesPerSecond: null, sourceRttMs: null, primaryRttMs: null, typicalSizeBytes: null };

export type Discover = (index: number) => Promise<{ result: DiscoveryResult }>;

/** From one repository's discovery (kept, so the clone that follows does not measure again). */
export async function figuresBefore(discover: Discover, index: number | undefined, sourceId?: string): Promise<LinkFigures> {
  if (index === undefined) return unknownFigures;
  try {
    return figuresFromDiscovery((await discover(index)).result, sourceId);
  } catch {
    // That repository's own clone will say what is wrong with it; the others still go.
    return unknownFigures;
  }
}

/**
 * What the throughput memory leaves out (transfer/throughput-memory.ts): a transfer under 256 KiB
 * (too short to say anything of the link), or one whose receiving took under 50 ms.
 */
const minRecordedBytes = 256 * 1024;
const minRecordedMs = 50;

/**
 * After one clone ran alone, its transfer is in the throughput memory, under its source. If it is not although it
 * was big enough, its receiving was quicker than the memory times: the link is fast for these
 * repositories, and nearly all of the clone's time was set-up. If it was too small, its bytes over
 * its whole transfer attempt (negotiation included) stand in, which undersells the link.
 */
export async function figuresAfter(discover: Discover, next: number | undefined, scout: CloneJob | undefined): Promise<LinkFigures> {
  // The link the lone clone measured, even where the next repository's discovery prefers another.
  const figures = await figuresBefore(discover, next, scout?.result?.source.id);
  const bytes = scout?.progress?.receivedBytes;
  if (!scout?.result || !bytes) return figures;
  const transfer = scout.attempts.findLast((attempt) => attempt.ok);
  const bytesPerSecond =
    figures.bytesPerSecond ?? (bytes >= minRecordedBytes ? (bytes * 1000) / minRecordedMs : transfer && transfer.durationMs > 0 ? (bytes * 1000) / transfer.durationMs : null);
  if (bytesPerSecond === null) return figures;
  const measuredSetUp = scout.result.durationMs - (bytes * 1000) / bytesPerSecond;
  return { ...figures, bytesPerSecond, typicalSizeBytes: figures.typicalSizeBytes ?? bytes, ...(measuredSetUp > 0 ? { setUpMs: measuredSetUp } : {}) };
}
