/**
 * Whether a clone is made in steps, and how big each step is.
 *
 * Measured against the emulator (mirror at 40 ms, 50 Mbit/s; 40 MB repository of realistic
 * shape, 100 commits): one `git clone` received 39.98 MB in 6.8 s; the same repository as a
 * depth-1 tip (5.55 MB), three deepen steps (8.7 MB each) and a final unshallow with every ref
 * and tag (8.35 MB) received 40.00 MB (1.0005x) in 9.6 s. Steps cost no bytes; each costs about
 * 0.5 s of set-up (git starting, the server listing refs and counting objects, round trips).
 * So a repository is stepped only when it is big enough for that to be a small share of its
 * transfer, with steps of about an eighth of it: a break then loses at most one such step
 * (12.5% of the whole) instead of everything received.
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
  /** Objects borrowed from a local mirror: little travels, one pack is best. */
  reference?: string;
  /** The user asked for a shallow clone or a named branch or tag: git clone does exactly that. */
  depth?: number;
  branch?: string;
  overrides?: Partial<StepSettings>;
}

/** The settings of a stepped clone, or undefined when one pack is the better way. */
export function planSteps(input: StepPlanInput): StepSettings | undefined {
  if (input.engine !== 'native' || input.reference || input.depth !== undefined || input.branch !== undefined) return undefined;
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
