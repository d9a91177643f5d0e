/**
 * How many bytes one source may send for a clone or a local-mirror sync before it is cut off.
 *
 * A source that keeps sending (a hostile or broken server streaming an endless pack) would
 * otherwise fill the disk. The limit follows what the primary says the repository weighs, with a
 * generous margin (twice the size plus 100 MiB: packs are often larger than the repository on a
 * server that has not repacked lately); when the size is unknown, the user's setting applies.
 *
 * Two measures, whichever trips first: the bytes git reports receiving (its progress line,
 * "Receiving objects: ... | 12.34 MiB", read through the shared progress parser), and the growth
 * of the repository's pack folder, looked at every second. The second is the one to rely on:
 * git prints no progress until the first object is complete, so a pack of one endless object
 * shows none; transfer-env.ts makes git keep every received pack as it arrives, so the folder
 * grows with every byte sent. Only the pack folder is measured: a checked-out work tree can be
 * many times the size of the pack and is not what a server sends.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { directorySize } from './directory-size';
import { formatBytes } from '../../../shared/format';

export const defaultMaxTransferBytes = 20 * 1024 ** 3;
const marginBytes = 100 * 1024 ** 2;

/** The byte budget for one transfer: from the repository's size when known, else the setting. */
export function transferLimitBytes(sizeBytes: number | null | undefined, maxTransferBytes: number | undefined): number {
  if (typeof sizeBytes === 'number' && Number.isFinite(sizeBytes) && sizeBytes >= 0) return 2 * sizeBytes + marginBytes;
  return maxTransferBytes ?? defaultMaxTransferBytes;
}

/** A source sent more than its budget; the transfer from it was stopped. */
export class TransferTooLargeError extends Error {
  constructor(
    readonly serverName: string,
    readonly limitBytes: number,
    readonly sizeKnown: boolean,
  ) {
    const why = sizeKnown ? 'twice what the primary says the repository weighs, plus 100 MiB' : 'the largest transfer allowed (the repository\'s size is unknown)';
    super(
      `${serverName} sent more than ${formatBytes(limitBytes)} (${why}); the transfer from it was stopped. ` +
        (sizeKnown
          ? `Tell the administrators of ${serverName} that it sends far more than the repository holds.`
          : `If the repository really is that large, raise the largest transfer allowed (the maxTransferBytes setting); otherwise tell the administrators of ${serverName}.`),
    );
    this.name = 'TransferTooLargeError';
  }
}

export interface TransferWatch {
  /** Aborts when the caller's signal does, or when the source went over its budget. */
  readonly signal: AbortSignal;
  /** Feed every progress update of the transfer here. */
  onProgress(progress: { receivedBytes?: number }): void;
  /** The over-budget error when that is why the transfer ended, else `error` unchanged. */
  explain(error: unknown): unknown;
  stop(): void;
}

export interface WatchOptions {
  limitBytes: number;
  sizeKnown: boolean;
  serverName: string;
  signal: AbortSignal;
  /** The repository being written: its `objects` folder (bare) or `.git/objects` is measured. */
  repository?: string;
  /** How often the pack folder is measured. Default 1 s. */
  pollMs?: number;
}

/**
 * Where received objects land: git is told to keep every received pack as it is (unpackLimit=1,
 * see transfer-env.ts), so only the pack folder grows, and measuring it alone keeps the cost of
 * each check independent of how many loose objects a synced mirror already holds.
 */
function packFolder(repository: string): string {
  const nonBare = path.join(repository, '.git', 'objects');
  return path.join(existsSync(nonBare) ? nonBare : path.join(repository, 'objects'), 'pack');
}

export async function watchTransfer(options: WatchOptions): Promise<TransferWatch> {
  const over = new AbortController();
  let tooLarge: TransferTooLargeError | undefined;
  const trip = () => {
    if (tooLarge) return;
    tooLarge = new TransferTooLargeError(options.serverName, options.limitBytes, options.sizeKnown);
    over.abort(tooLarge);
  };
  // A sync fetches into a repository that already holds objects: only growth counts.
  const baseline = options.repository ? await directorySize(packFolder(options.repository)) : 0;
  let measuring = false;
  const timer = options.repository
    ? setInterval(() => {
        if (measuring) return;
        measuring = true;
        void directorySize(packFolder(options.repository!))
          .then((size) => {
            if (size - baseline > options.limitBytes) trip();
          })
          .finally(() => (measuring = false));
      }, options.pollMs ?? 1_000)
    : undefined;
  timer?.unref();
  return {
    signal: AbortSignal.any([options.signal, over.signal]),
    onProgress(progress) {
      if ((progress.receivedBytes ?? 0) > options.limitBytes) trip();
    },
    explain: (error) => tooLarge ?? error,
    stop: () => clearInterval(timer),
  };
}
