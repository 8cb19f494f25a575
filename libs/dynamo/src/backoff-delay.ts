/** How often and how patiently a retriable failure is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  maxAttempts: number;
  /** Ceiling of the first retry's delay; it doubles per attempt… */
  baseDelayMs: number;
  /** …up to this bound. */
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a uniform random delay in [0, min(maxDelayMs, baseDelayMs · 2^(failedAttempts-1))). Spreading
 * retries over the whole window keeps many writers hitting one throttled partition from retrying
 * in lockstep.
 */
export function backoffDelay(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.floor(random() * ceiling);
}
