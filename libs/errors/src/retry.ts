/** How often and how patiently a retriable failure is retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  maxAttempts: number;
  /** Ceiling of the first retry's delay; it doubles per attempt… */
  baseDelayMs: number;
  /** …up to this bound. */
  maxDelayMs: number;
}

/** Why an attempt is repeated: throttled by the server, part of the work left unprocessed, or another retriable fault. */
export type RetryReason = 'throttled' | 'unprocessed' | 'error';

/** Reported before each retry sleep: the one event type retry metrics and logs are built from. */
export interface RetryEvent {
  /** The call retried, e.g. `BatchWriteItem`, or `single` for one command's own write. */
  operation: string;
  reason: RetryReason;
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  delayMs: number;
  /** Keys, requests or commands still pending. */
  items: number;
  /** The error that caused the retry (absent when the server returned part of the work unprocessed). */
  error?: { code: string; message: string; retriable?: boolean };
  /** Which command of a batch, when the retry is one command's. */
  index?: number;
}

/** What `retryWithBackoff` needs besides the attempt itself. */
export interface RetryOptions {
  retry: RetryPolicy;
  onRetry?: (event: RetryEvent) => void;
  /** Test seams: the sleep between attempts and the jitter source. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** One attempt's result: finished, or progress made with work left to repeat. */
export type AttemptResult<T> =
  | { done: T }
  | {
      again: { reason: RetryReason; items: number; error?: RetryEvent['error'] };
      /** What to answer when no attempt is left (default: throw `again.error`, or a throttling error). */
      exhausted?: () => T;
    };

/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"):
 * a uniform random delay in [0, min(maxDelayMs, baseDelayMs · 2^(failedAttempts-1))). Spreading
 * retries over the whole window keeps many clients hitting one throttled partition from retrying
 * in lockstep.
 */
export function backoffDelay(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.floor(random() * ceiling);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it is done, as kafkajs's retrier does: an error whose `retriable` is true
 * is retried (its `code` `*_THROTTLED` counts as throttling), any other error is thrown at once; an
 * attempt that made progress but left work (`again`) is repeated. Between attempts it waits a
 * capped, jittered backoff and reports one `RetryEvent`. When `retry.maxAttempts` are used up it
 * throws the last retriable error, or answers the attempt's `exhausted()`.
 */
export async function retryWithBackoff<T>(
  operation: string,
  options: RetryOptions,
  attempt: (attemptNo: number) => Promise<AttemptResult<T>>,
  items = 1,
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  for (let attemptNo = 1; ; attemptNo++) {
    let again: Extract<AttemptResult<T>, { again: unknown }>;
    try {
      const result = await attempt(attemptNo);
      if ('done' in result) return result.done;
      again = result;
    } catch (error) {
      if (!isRetriableError(error) || attemptNo >= options.retry.maxAttempts) throw error;
      again = { again: { reason: /_THROTTLED$/.test(error.code) ? 'throttled' : 'error', items, error } };
    }
    if (attemptNo >= options.retry.maxAttempts) {
      if (again.exhausted) return again.exhausted();
      throw again.again.error ?? Object.assign(new Error(`${operation}: work left ${again.again.reason} after ${attemptNo} attempts`), { retriable: true });
    }
    const delayMs = backoffDelay(attemptNo, options.retry, options.random ?? Math.random);
    try {
      options.onRetry?.({ operation, ...again.again, attempt: attemptNo, delayMs });
    } catch {
      // An observer's bug must not abandon a request half-way.
    }
    await sleep(delayMs);
  }
}

function isRetriableError(error: unknown): error is Error & { code: string; retriable: true } {
  return error instanceof Error && (error as { retriable?: unknown }).retriable === true && typeof (error as { code?: unknown }).code === 'string';
}
