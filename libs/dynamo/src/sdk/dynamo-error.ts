import { Pg2ddbError } from '@pg2ddb/errors';

/** Codes of the errors this lib throws; `retriable` depends on the code (see README.md). */
export enum DynamoErrorCode {
  /** Throughput or request-rate limit hit; retriable. */
  THROTTLED = 'DYNAMO_THROTTLED',
  /** 5xx from DynamoDB; retriable. */
  SERVICE_UNAVAILABLE = 'DYNAMO_SERVICE_UNAVAILABLE',
  /** Connection refused/reset, DNS failure, request timeout; retriable. */
  NETWORK = 'DYNAMO_NETWORK',
  /** The item is part of a concurrent transaction; retriable. */
  TRANSACTION_CONFLICT = 'DYNAMO_TRANSACTION_CONFLICT',
  /** The table does not exist (yet): an environment fault, not the command's; retriable. */
  TABLE_NOT_FOUND = 'DYNAMO_TABLE_NOT_FOUND',
  /** A table or index is being created/updated concurrently; retriable. */
  RESOURCE_IN_USE = 'DYNAMO_RESOURCE_IN_USE',
  /** Missing, expired or rejected credentials or IAM permission: fixable outside the data; retriable. */
  ACCESS_DENIED = 'DYNAMO_ACCESS_DENIED',
  /** The item would exceed DynamoDB's 400 KB item size; permanent. */
  ITEM_TOO_LARGE = 'DYNAMO_ITEM_TOO_LARGE',
  /** The key is missing, empty, of the wrong type, or the command tries to change it; permanent. */
  INVALID_KEY = 'DYNAMO_INVALID_KEY',
  /** A `name.child` path whose parent exists but is not a map; permanent. */
  INVALID_DOCUMENT_PATH = 'DYNAMO_INVALID_DOCUMENT_PATH',
  /** Any other ValidationException; permanent. */
  VALIDATION = 'DYNAMO_VALIDATION',
  /** An item collection (LSI) exceeded 10 GB; permanent. */
  ITEM_COLLECTION_TOO_LARGE = 'DYNAMO_ITEM_COLLECTION_TOO_LARGE',
  /** A condition expression failed outside the version guard; permanent. */
  CONDITION_FAILED = 'DYNAMO_CONDITION_FAILED',
  /** The write command itself is malformed (bad version, reserved attribute, overlapping paths); permanent. */
  INVALID_COMMAND = 'DYNAMO_INVALID_COMMAND',
  /** A table spec cannot be turned into a table (e.g. one attribute with two key types); permanent. */
  INVALID_TABLE_SPEC = 'DYNAMO_INVALID_TABLE_SPEC',
  /** The existing table differs from the spec; `details.problems` lists every difference; permanent. */
  TABLE_MISMATCH = 'DYNAMO_TABLE_MISMATCH',
  /** The table or a GSI did not become ACTIVE within the wait timeout; retriable. */
  TABLE_NOT_ACTIVE = 'DYNAMO_TABLE_NOT_ACTIVE',
  /** A partial update (unknown TOAST values) of an item that does not exist: it cannot build the item; permanent. */
  ITEM_MISSING = 'DYNAMO_ITEM_MISSING',
  /** Not attempted because an earlier command for the same item failed retriably; retriable. */
  PRECEDING_COMMAND_FAILED = 'DYNAMO_PRECEDING_COMMAND_FAILED',
  /** Invalid options passed to a function of this lib (a programming error); permanent. */
  INVALID_OPTIONS = 'DYNAMO_INVALID_OPTIONS',
  /** A stream shard iterator expired (15 minutes unused): get a new one from the checkpoint; retriable. */
  STREAM_ITERATOR_EXPIRED = 'DYNAMO_STREAM_ITERATOR_EXPIRED',
  /** The checkpoint is older than the stream keeps (24 hours): changes were lost, re-run the load; permanent. */
  STREAM_TRIMMED = 'DYNAMO_STREAM_TRIMMED',
  /** The table has no stream, or not NEW_AND_OLD_IMAGES; permanent. */
  STREAM_MISSING = 'DYNAMO_STREAM_MISSING',
  /** Anything unrecognised; retriable but capped: the writer dead-letters it when it outlasts its retries. */
  UNKNOWN = 'DYNAMO_UNKNOWN',
}

/** The error every function of this lib throws (or reports in a batch outcome). */
export class DynamoError extends Pg2ddbError {
  declare readonly code: DynamoErrorCode;

  constructor(
    code: DynamoErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
  }
}
