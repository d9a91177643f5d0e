/**
 * Exponential backoff with full jitter: the delay before retry number `attempt` (0-based).
 * Jitter keeps many clients (or one helper restarting in a loop) from retrying in step.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0 = no jitter, 1 = anywhere between 0 and the full delay. */
  jitter: number;
}

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  const jitterPart = exponential * policy.jitter * random();
  return Math.round(exponential - jitterPart);
}
