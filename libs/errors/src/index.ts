export { Pg2ddbError, errorCode, errorMessage, isRetriable } from './pg2ddb-error';
export { backoffDelay, retryWithBackoff, type AttemptResult, type RetryEvent, type RetryOptions, type RetryPolicy, type RetryReason } from './retry';
export { partialReads, type PartialReads } from './partial-reads';
