/**
 * Whether a clone is made in steps, and how big each step is.
 *
 * Measured against the emulator (mirror at 40 ms, 50 Mbit/s; repositories of realistic shape):
 *   - bytes: steps cost none. 40 MB: one `git clone` received 39.98 MB; a depth-1 tip (5.55 MB),
 *     three deepen steps (8.7 MB each) and a final unshallow with every ref and tag (8.35 MB)
 *     received 40.00 MB. 200 MB in nine fetches: 1.001x the single pack.
 *   - time, with GIT_TRACE2_PERF on both sides (200 MB; a plain `git clone` 32.5 s, all of it the
 *     link's 32 s):
 *       client, per step: 0.23 s before negotiating (a new process, a new connection, the
 *       capabilities and the ref listing: three round trips), 0.10-0.14 s negotiating (one more),
 *       and after the pack 10 ms (connectivity check 3 ms, `maintenance --auto` 2 ms; no FETCH_HEAD,
 *       forced-update or commit-graph cost worth an option). So about 0.4 s a step.
 *       server, per byte: every step after the first sends a thin pack to a shallow client, so
 *       pack-objects takes the client's trees as delta bases ("edge-aggressive") and tries each
 *       blob it sends against the client's version of the same path before it writes a byte. On
 *       blobs that do not delta (this repository's, or any binary asset) that is 25 ms of CPU per
 *       MB sent (0.6 s for 14.6 MB, 1.4 s for 55 MB, 2.8 s for 103 MB; 11.6 s for 171 MB on a
 *       machine under load), while the link waits. The first step has nothing to delta against
 *       and starts at once; a whole-repository clone reuses the pack as it is. Packing the
 *       server's repository as Bitbucket does (`repack -a -d` with a bitmap) changed neither: a
 *       shallow request cannot use a bitmap, and plain `git clone` was link-bound already.
 *     So a step costs ~0.4 s of round trips whatever its size, and the history after the tip
 *     costs the server's delta search whatever the steps: fewer steps save the first only.
 *   - a break loses the step in flight: with eighths, a cut at 40% cost 1.06x and at 90% 1.05x
 *     (starting again costs 1.40x and 1.90x).
 * So a repository is stepped only when it is big enough for the fixed cost to be a small share
 * of its transfer, and its steps are as big as a break can afford: at most a fifth of the
 * repository, and an eighth once three quarters are in (a break late costs the user more of what
 * they waited for), never under 8 MB; on a slow link no more than a minute of transfer, where
 * 0.4 s is nothing and a break would cost minutes.
 */
import type { CloneEngine } from '../../git/engine';

export interface StepSettings {
  /** Repositories smaller than this (by the primary's size answer) go in one pack. */
  minimumBytes: number;
  /**
   * The bytes a deepen step aims at while most of the repository is still to come (the first,
   * tip step is whatever the newest commit weighs).
   */
  stepBytes: number;
  /** The bytes a step aims at once three quarters are in; stepBytes when not given. */
  lateStepBytes?: number;
  /**
   * A step over HTTP that receives under 1 KB/s for this long is given up as stalled (a link
   * that died silently), so the next attempt can continue; default 30 s.
   */
  stallSeconds?: number;
}

export const defaultStepSettings = {
  minimumBytes: 64 * 1024 * 1024,
  /** The most of the repository one step carries, until `lateFrom` of it is in and after. */
  earlyShare: 1 / 5,
  lateShare: 1 / 8,
  lateFrom: 3 / 4,
  /**
   * How much more than its aim the last step may carry rather than leave a sliver for a step of
   * its own (a step costs ~0.4 s whatever its size).
   */
  lastStepSlack: 1.1,
  minimumStepBytes: 8 * 1024 * 1024,
  /** On a link whose speed is known, the most transfer time one step holds. */
  longestStepSeconds: 60,
  stallSeconds: 30,
};

/**
 * A stalled step, one whose link died silently, ends instead of hanging for ever, so the next
 * attempt can continue. Over HTTP(S) git's own low-speed limit does it (off by default), at
 * 1 byte/s: while the server searches for deltas before a pack, all that comes is its progress,
 * measured at 950 bytes/s (76 objects in 6.8 s), less when objects are big; a higher limit would
 * give up a big step whose server is slow to start, again at every attempt. Over
 * SSH, ssh asks the server for a sign of life after `interval` quiet seconds and gives up after
 * three unanswered: a server busy preparing a pack still answers, a dead link does not. ssh keeps
 * the first value of an option, so the user's own, earlier in the command, wins.
 */
export function stallEnvironment(settings: StepSettings, env: Record<string, string | undefined> = {}): Record<string, string> {
  const seconds = settings.stallSeconds ?? defaultStepSettings.stallSeconds;
  const http = { GIT_HTTP_LOW_SPEED_LIMIT: '1', GIT_HTTP_LOW_SPEED_TIME: String(seconds) };
  const ssh = env.GIT_SSH_COMMAND;
  if (!ssh) return http;
  const unanswered = 3;
  const interval = Math.max(1, Math.round(seconds / unanswered));
  return { ...http, GIT_SSH_COMMAND: `${ssh} -o ServerAliveInterval=${interval} -o ServerAliveCountMax=${unanswered}` };
}

/**
 * The step sizes for a repository of `sizeBytes`, over a link delivering `bytesPerSecond` when
 * that is known (the source's recorded throughput).
 */
export function stepSizesFor(sizeBytes: number, overrides: Partial<StepSettings> = {}, bytesPerSecond?: number): { stepBytes: number; lateStepBytes: number } {
  const { earlyShare, lateShare, minimumStepBytes, longestStepSeconds } = defaultStepSettings;
  const longest = bytesPerSecond && bytesPerSecond > 0 ? bytesPerSecond * longestStepSeconds : Number.POSITIVE_INFINITY;
  const sized = (share: number) => Math.max(minimumStepBytes, Math.ceil(Math.min(sizeBytes * share, longest)));
  const stepBytes = overrides.stepBytes ?? sized(earlyShare);
  return { stepBytes, lateStepBytes: overrides.lateStepBytes ?? (overrides.stepBytes ?? Math.min(stepBytes, sized(lateShare))) };
}

/** The bytes the next deepen step aims at, `receivedBytes` of `expectedBytes` in. */
export function nextStepBytes(settings: StepSettings, receivedBytes: number, expectedBytes: number | null): number {
  const late = Math.min(settings.lateStepBytes ?? settings.stepBytes, settings.stepBytes);
  if (!expectedBytes || expectedBytes <= 0) return settings.stepBytes;
  const lateFrom = expectedBytes * defaultStepSettings.lateFrom;
  if (receivedBytes + settings.stepBytes <= lateFrom) return settings.stepBytes;
  // Up to three quarters when that is no more than an early step, then the late size.
  return Math.max(late, lateFrom - receivedBytes);
}

/**
 * Whether the rest of the history goes in one last step, with the branches and tags: it is no
 * bigger than a step (give or take the slack), or its size is unknown.
 */
export function isLastStretch(settings: StepSettings, receivedBytes: number, expectedBytes: number | null): boolean {
  if (expectedBytes === null) return true;
  return expectedBytes - receivedBytes <= nextStepBytes(settings, receivedBytes, expectedBytes) * defaultStepSettings.lastStepSlack;
}

export interface StepPlanInput {
  sizeBytes: number | null | undefined;
  engine: CloneEngine;
  /** Steps go over either; a silent link is detected on both (stallEnvironment). */
  protocol: 'http' | 'ssh';
  /** Objects borrowed from a local mirror: little travels, one pack is best. */
  reference?: string;
  /** The user asked for a shallow clone or a named branch or tag: git clone does exactly that. */
  depth?: number;
  branch?: string;
  overrides?: Partial<StepSettings>;
  /** The source's recorded throughput here, when there is one: on a slow link steps are shorter. */
  bytesPerSecond?: number;
}

/** The settings of a stepped clone, or undefined when one pack is the better way. */
export function planSteps(input: StepPlanInput): StepSettings | undefined {
  if (input.engine !== 'native' || input.reference || input.depth !== undefined || input.branch !== undefined) return undefined;
  if (typeof input.sizeBytes !== 'number') return undefined;
  const minimumBytes = input.overrides?.minimumBytes ?? defaultStepSettings.minimumBytes;
  if (input.sizeBytes < minimumBytes) return undefined;
  return { minimumBytes, ...stepSizesFor(input.sizeBytes, input.overrides, input.bytesPerSecond), stallSeconds: input.overrides?.stallSeconds };
}

/**
 * How many commits the next deepen step asks for: the first guesses, later ones follow the bytes
 * per commit seen so far, never growing more than eightfold at once (history is rarely even).
 */
export function nextDeepenCommits(stepBytes: number, previous: { commits: number; bytes: number } | undefined): number {
  if (!previous) return 8;
  const perCommit = Math.max(1, previous.bytes / previous.commits);
  return Math.max(1, Math.min(previous.commits * 8, Math.round(stepBytes / perCommit)));
}
