import { backoffDelay, type RetryPolicy } from './backoff-delay';
import type { DynamoError } from './dynamo-error';

/** Which request was retried and why, for logs and metrics. */
export interface DynamoRetryEvent {
  operation: 'BatchGetItem' | 'BatchWriteItem';
  /** `throttled`: a throttling error; `unprocessed`: DynamoDB returned part of the request unprocessed; `error`: any other retriable fault. */
  reason: 'throttled' | 'unprocessed' | 'error';
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  delayMs: number;
  /** Keys or write requests still pending. */
  items: number;
  error?: DynamoError;
}

/** Retry behaviour shared by the batch readers and writers. */
export interface DynamoRetryOptions {
  retry: RetryPolicy;
  onRetry?: (event: DynamoRetryEvent) => void;
  /** Test seams. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits the backoff for `event` (capped exponential, full jitter) after telling the observer. */
export async function pauseBeforeRetry(
  options: DynamoRetryOptions,
  event: Omit<DynamoRetryEvent, 'delayMs'>,
): Promise<void> {
  const delayMs = backoffDelay(event.attempt, options.retry, options.random ?? Math.random);
  try {
    options.onRetry?.({ ...event, delayMs });
  } catch {
    // An observer's bug must not abandon a request half-way.
  }
  await (options.sleep ?? defaultSleep)(delayMs);
}
