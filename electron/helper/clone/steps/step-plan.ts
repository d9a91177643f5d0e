/**
 * Whether a clone is made in steps, and how big each step is.
 *
 * Measured against the emulator (mirror at 40 ms, 50 Mbit/s; repositories of realistic shape):
 *   - bytes: steps cost none. 40 MB: one `git clone` received 39.98 MB; a depth-1 tip (5.55 MB),
 *     three deepen steps (8.7 MB each) and a final unshallow with every ref and tag (8.35 MB)
 *     received 40.00 MB. 200 MB in nine fetches: 1.001x the single pack.
 *   - where a step's time goes, with GIT_TRACE2_PERF on both sides (200 MB; plain `git clone`
 *     32.5 s, all of it the link's 32 s):
 *       client: 0.23 s before negotiating (a new process and connection, the capabilities and
 *       the ref listing: three round trips), 0.10-0.14 s negotiating, 10 ms after the pack
 *       (connectivity check 3 ms, `maintenance --auto` 2 ms; FETCH_HEAD, forced updates and the
 *       commit-graph cost too little for an option). About 0.4 s a step.
 *       server: every step after the first is a thin pack for a shallow client, so pack-objects
 *       takes the client's trees as delta bases and tries the blobs it sends against them before
 *       it writes a byte, while the link waits. On blobs that do not delta (this repository's,
 *       or any binary asset) that search is most of a step's cost: deepen 8 commits (14.6 MB)
 *       0.6-0.8 s, 14 commits (25 MB) 0.95-1.6 s, 30 commits (55 MB) 1.4 s, on a machine under
 *       load 3-5x that; how many commits the client offers as common does not matter (16, or 6
 *       with the skipping negotiator: 4.5 s and 4.8 s). The first step has no base to try and
 *       starts at once, as a whole-repository clone does. Packing the server's repository as
 *       Bitbucket does (`repack -a -d` with a bitmap) changed neither: a shallow request cannot
 *       use a bitmap, and plain `git clone` was link-bound already (32.7 s).
 *   - the plan, side by side on one topology, alternating, machine load 4-6: plain 32.7 s;
 *     eighths (tip, 8 deepen steps of 14 commits or fewer, the rest: 8 fetches) 49.1 s and
 *     45.2 s, 13.0 s and 9.3 s of them the server's delta search; bigger steps under a cap of a
 *     fifth of the repository (7 fetches) 53.2 s and 50.6 s (17.5 s, 14.7 s): bigger deepen
 *     steps search longer and saved nothing; the tip and then everything else in one fetch
 *     38.3 s (5.1 s), but a break then loses up to 86% of the repository.
 *   - a break loses the step in flight: with eighths, a cut at 40% cost 1.06x and at 90% 1.05x
 *     (starting again costs 1.40x and 1.90x); with fifths 1.18x and 1.03x.
 *   - so the history comes in one fetch after the tip, and a break keeps what arrived
 *     (salvage.ts, complete-what-arrived.ts). Bench, mirror at 40 ms and 50 Mbit/s, against plain
 *     `git clone` (binary history 200 MB; text-like history 100 MB, 71% of its blobs deltas):
 *       whole clone 1.10x and 1.36x (the text-like history's rest is a shallow request that
 *       cannot use the server's bitmap: about 7 s of the server's work a plain clone skips),
 *       work tree ready 0.18x and 0.29x, bytes on a clean link 1.00x and 1.02x;
 *       cut at 40%: 1.14x and 1.28x (the text-like one goes on in deepen steps);
 *       cut at 90%: 1.01x and 1.31x (the text-like one completed by id, its deltas coming whole).
 *     What arrived is worth completing by id when it came as whole objects: asked for by id, a
 *     delta comes back whole (a request by id names no path to match a base with).
 *   - on a network where a transfer broke lately, deepen steps from the start: whole clone 1.33x
 *     and 2.12x, a cut at 40% 1.06x and 1.12x, at 90% 1.05x and 1.12x.
 * So a repository is stepped only when it is big enough for the fixed cost to be a small share
 * of its transfer. Deepen steps of about an eighth, newest first, where a break would cost more
 * than their search does (resume-marker.ts, deepenSteps): the byte targets hold with room there.
 * On a slow link a step holds at most a minute of transfer, where its cost is nothing beside
 * what a break would lose.
 */
import type { CloneEngine } from '../../git/engine';

export interface StepSettings {
  /** Repositories smaller than this (by the primary's size answer) go in one pack. */
  minimumBytes: number;
  /** The bytes a deepen step aims at (the first tip step is whatever the newest commit weighs). */
  stepBytes: number;
  /**
   * A step that receives nothing for this long is given up as stalled (a link that died
   * silently), so the next attempt can continue; default 30 s.
   */
  stallSeconds?: number;
  /** The history in deepen steps from the start, not in one fetch (break-memory.ts). */
  deepenFromStart?: boolean;
}

export const defaultStepSettings = {
  minimumBytes: 64 * 1024 * 1024,
  stepsPerClone: 8,
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
 * give up a big step whose server is slow to start, again at every attempt. Over SSH, ssh asks
 * the server for a sign of life after `interval` quiet seconds and gives up after three
 * unanswered: a server busy preparing a pack still answers, a dead link does not. ssh keeps the
 * first value of an option, so the user's own, earlier in the command, wins.
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
 * The step size for a repository of `sizeBytes`, over a link delivering `bytesPerSecond` when
 * that is known (the source's recorded throughput).
 */
export function stepBytesFor(sizeBytes: number, overrides: Partial<StepSettings> = {}, bytesPerSecond?: number): number {
  if (overrides.stepBytes !== undefined) return overrides.stepBytes;
  const { stepsPerClone, minimumStepBytes, longestStepSeconds } = defaultStepSettings;
  const longest = bytesPerSecond && bytesPerSecond > 0 ? bytesPerSecond * longestStepSeconds : Number.POSITIVE_INFINITY;
  return Math.max(minimumStepBytes, Math.ceil(Math.min(sizeBytes / stepsPerClone, longest)));
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
  /** A transfer broke on this network lately (break-memory.ts). */
  brokeLately?: boolean;
}

/** The settings of a stepped clone, or undefined when one pack is the better way. */
export function planSteps(input: StepPlanInput): StepSettings | undefined {
  if (input.engine !== 'native' || input.reference || input.depth !== undefined || input.branch !== undefined) return undefined;
  if (typeof input.sizeBytes !== 'number') return undefined;
  const minimumBytes = input.overrides?.minimumBytes ?? defaultStepSettings.minimumBytes;
  if (input.sizeBytes < minimumBytes) return undefined;
  return {
    minimumBytes,
    stepBytes: stepBytesFor(input.sizeBytes, input.overrides, input.bytesPerSecond),
    stallSeconds: input.overrides?.stallSeconds,
    deepenFromStart: input.overrides?.deepenFromStart ?? input.brokeLately === true,
  };
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
