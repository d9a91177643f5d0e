/**
 * Whether a clone is made in steps, and how big each step is.
 *
 * Measured against the emulator (mirror at 40 ms, 50 Mbit/s; repositories of realistic shape):
 *   - bytes: steps cost none. 40 MB: one `git clone` received 39.98 MB; a depth-1 tip (5.55 MB),
 *     three deepen steps (8.7 MB each) and a final unshallow with every ref and tag (8.35 MB)
 *     received 40.00 MB. 200 MB in nine fetches: 1.001x the single pack.
 *   - time: each step costs a fixed 1 to 1.5 s: a new connection and the ref listing (0.26 s),
 *     one negotiation round (0.13 s), and the server's work before the first pack byte, most of
 *     it pack-objects looking for deltas among objects it cannot send from its pack as they are
 *     (a whole-repository clone reuses the pack verbatim). 200 MB alone: 32.5 s as one pack,
 *     45.5 s in nine steps (1.40x); three steps (tip, one deepen, the rest) took 1.16x.
 *   - a break loses the step in flight: with eighths, a cut at 40% cost 1.06x and at 90% 1.05x
 *     (starting again costs 1.40x and 1.90x).
 * So a repository is stepped only when it is big enough for the fixed cost to be a small share
 * of its transfer, in steps of about an eighth of it: the byte targets hold with room, and the
 * time lost to steps is the price (fewer, bigger steps trade it back against the bytes at risk).
 */
import type { CloneEngine } from '../../git/engine';

export interface StepSettings {
  /** Repositories smaller than this (by the primary's size answer) go in one pack. */
  minimumBytes: number;
  /** The bytes a deepen step aims at (the first tip step is whatever the newest commit weighs). */
  stepBytes: number;
  /**
   * A step over HTTP that receives under 1 KB/s for this long is given up as stalled (a link
   * that died silently), so the next attempt can continue; default 30 s.
   */
  stallSeconds?: number;
}

export const defaultStepSettings = { minimumBytes: 64 * 1024 * 1024, stepsPerClone: 8, minimumStepBytes: 8 * 1024 * 1024, stallSeconds: 30 };

/**
 * git's own stall detection for HTTP(S): off by default, so a silent link would hang a step for
 * ever. (Over SSH the same needs ServerAliveInterval in the SSH command.)
 */
export function stallEnvironment(settings: StepSettings): Record<string, string> {
  return { GIT_HTTP_LOW_SPEED_LIMIT: '1000', GIT_HTTP_LOW_SPEED_TIME: String(settings.stallSeconds ?? defaultStepSettings.stallSeconds) };
}

/** The step size for a repository of `sizeBytes`. */
export function stepBytesFor(sizeBytes: number, overrides: Partial<StepSettings> = {}): number {
  return overrides.stepBytes ?? Math.max(defaultStepSettings.minimumStepBytes, Math.ceil(sizeBytes / defaultStepSettings.stepsPerClone));
}

export interface StepPlanInput {
  sizeBytes: number | null | undefined;
  engine: CloneEngine;
  /**
   * Over SSH a clone stays one pack for now: a silent SSH link is not detected as stalled
   * (that needs ServerAliveInterval in the SSH command), so a step could hang where it should retry.
   */
  protocol: 'http' | 'ssh';
  /** Objects borrowed from a local mirror: little travels, one pack is best. */
  reference?: string;
  /** The user asked for a shallow clone or a named branch or tag: git clone does exactly that. */
  depth?: number;
  branch?: string;
  overrides?: Partial<StepSettings>;
}

/** The settings of a stepped clone, or undefined when one pack is the better way. */
export function planSteps(input: StepPlanInput): StepSettings | undefined {
  if (input.engine !== 'native' || input.protocol !== 'http' || input.reference || input.depth !== undefined || input.branch !== undefined) return undefined;
  if (typeof input.sizeBytes !== 'number') return undefined;
  const minimumBytes = input.overrides?.minimumBytes ?? defaultStepSettings.minimumBytes;
  if (input.sizeBytes < minimumBytes) return undefined;
  return { minimumBytes, stepBytes: stepBytesFor(input.sizeBytes, input.overrides), stallSeconds: input.overrides?.stallSeconds };
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
