import { DynamoError, DynamoErrorCode } from './dynamo-error';

/** The fields the AWS SDK v3 (and Node's networking) put on the errors they throw. */
interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TooManyRequestsException',
]);
const SERVER = new Set(['InternalServerError', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);
const CONFLICT = new Set([
  'TransactionConflictException',
  'TransactionInProgressException',
  'ReplicatedWriteConflictException',
]);
// Credential and permission faults are fixed outside the data (IAM, IRSA token, clock), and
// dead-lettering the whole stream meanwhile would be worse than stopping: so they are retriable.
const ACCESS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'RequestExpired',
  'CredentialsProviderError',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const ITEM_TOO_LARGE = /item size (to update )?has exceeded the maximum allowed size/i;
const DOCUMENT_PATH = /document path provided in the update expression is invalid/i;
const INVALID_KEY = /required keys|mismatch for key|key element|key attribute|part of the key|Key: /;

/** True when DynamoDB refused a write because its condition expression was false. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as SdkErrorShape | undefined)?.name === 'ConditionalCheckFailedException';
}

/** True when DynamoDB said the table (or index) does not exist. */
export function isResourceNotFound(error: unknown): boolean {
  return (error as SdkErrorShape | undefined)?.name === 'ResourceNotFoundException';
}

/** True when an update failed because a `name.child` path's parent map does not exist (or is no map). */
export function isInvalidDocumentPath(error: unknown): boolean {
  const shape = error as SdkErrorShape | undefined;
  return shape?.name === 'ValidationException' && DOCUMENT_PATH.test(String(shape.message));
}

/**
 * Turns anything an SDK call threw into a {@link DynamoError} with a code and the right
 * `retriable` flag: throttling, 5xx, network faults, timeouts and environment faults (missing
 * table, credentials) and anything unrecognised (`DYNAMO_UNKNOWN`: the caller caps its retries)
 * are retriable; validation failures (item too large, bad key) are permanent. Our own errors pass
 * through unchanged.
 */
export function classifyDynamoError(error: unknown, details: Record<string, unknown> = {}): DynamoError {
  if (error instanceof DynamoError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const message = typeof shape.message === 'string' ? shape.message : String(error);
  const status = shape.$metadata?.httpStatusCode;
  const [code, retriable] = codeFor(shape, name, message, status);
  return new DynamoError(code, `${name}: ${message}`, {
    retriable,
    cause: error,
    details: { ...details, awsError: name, httpStatusCode: status, requestId: shape.$metadata?.requestId },
  });
}

function codeFor(
  shape: SdkErrorShape,
  name: string,
  message: string,
  status: number | undefined,
): [DynamoErrorCode, boolean] {
  if (THROTTLING.has(name)) return [DynamoErrorCode.THROTTLED, true];
  if (SERVER.has(name) || shape.$fault === 'server' || (status !== undefined && status >= 500)) {
    return [DynamoErrorCode.SERVICE_UNAVAILABLE, true];
  }
  if (CONFLICT.has(name)) return [DynamoErrorCode.TRANSACTION_CONFLICT, true];
  if (ACCESS.has(name)) return [DynamoErrorCode.ACCESS_DENIED, true];
  if (name === 'ResourceNotFoundException') return [DynamoErrorCode.TABLE_NOT_FOUND, true];
  if (name === 'ResourceInUseException') return [DynamoErrorCode.RESOURCE_IN_USE, true];
  if (NETWORK_NAMES.has(name) || (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code))) {
    return [DynamoErrorCode.NETWORK, true];
  }
  if (name === 'ValidationException') {
    if (ITEM_TOO_LARGE.test(message)) return [DynamoErrorCode.ITEM_TOO_LARGE, false];
    if (DOCUMENT_PATH.test(message)) return [DynamoErrorCode.INVALID_DOCUMENT_PATH, false];
    if (INVALID_KEY.test(message)) return [DynamoErrorCode.INVALID_KEY, false];
    return [DynamoErrorCode.VALIDATION, false];
  }
  if (name === 'ConditionalCheckFailedException') return [DynamoErrorCode.CONDITION_FAILED, false];
  if (name === 'ItemCollectionSizeLimitExceededException') return [DynamoErrorCode.ITEM_COLLECTION_TOO_LARGE, false];
  // The SDK marks some transient faults it could not name (e.g. a 429 without a known code).
  if (status === 429) return [DynamoErrorCode.THROTTLED, true];
  if (typeof shape.$retryable === 'object' && shape.$retryable !== null) {
    const throttling = (shape.$retryable as { throttling?: boolean }).throttling === true;
    return [throttling ? DynamoErrorCode.THROTTLED : DynamoErrorCode.SERVICE_UNAVAILABLE, true];
  }
  // Unrecognised: most likely a fault of DynamoDB or of the way there that the SDK has no name for
  // (a new error type, a proxy's answer). Retried like any fault; callers cap how long (the writer
  // dead-letters a command whose unknown error outlasts PG2DDB_WRITER_UNKNOWN_ERROR_BATCH_ATTEMPTS).
  return [DynamoErrorCode.UNKNOWN, true];
}
