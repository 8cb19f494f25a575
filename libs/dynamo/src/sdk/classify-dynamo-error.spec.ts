import { classifyDynamoError, isConditionalCheckFailed, isInvalidDocumentPath } from './classify-dynamo-error';
import { DynamoError, DynamoErrorCode } from './dynamo-error';
import { sdkError } from './fake-client.fixture';

describe('classifyDynamoError', () => {
  const cases: [string, unknown, DynamoErrorCode, boolean][] = [
    ['throughput exceeded', sdkError('ProvisionedThroughputExceededException'), DynamoErrorCode.THROTTLED, true],
    ['throttling', sdkError('ThrottlingException'), DynamoErrorCode.THROTTLED, true],
    ['request limit', sdkError('RequestLimitExceeded'), DynamoErrorCode.THROTTLED, true],
    ['control-plane limit', sdkError('LimitExceededException'), DynamoErrorCode.THROTTLED, true],
    ['unnamed 429', sdkError('Weird', 'x', { $metadata: { httpStatusCode: 429 } }), DynamoErrorCode.THROTTLED, true],
    ['internal server error', sdkError('InternalServerError'), DynamoErrorCode.SERVICE_UNAVAILABLE, true],
    ['any 503', sdkError('Whatever', 'x', { $metadata: { httpStatusCode: 503 } }), DynamoErrorCode.SERVICE_UNAVAILABLE, true],
    ['SDK-marked retryable', sdkError('Odd', 'x', { $retryable: {} }), DynamoErrorCode.SERVICE_UNAVAILABLE, true],
    ['transaction conflict', sdkError('TransactionConflictException'), DynamoErrorCode.TRANSACTION_CONFLICT, true],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), DynamoErrorCode.NETWORK, true],
    ['socket reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), DynamoErrorCode.NETWORK, true],
    ['request timeout', Object.assign(new Error('timeout'), { name: 'TimeoutError', code: 'ETIMEDOUT' }), DynamoErrorCode.NETWORK, true],
    ['DNS', Object.assign(new Error('getaddrinfo'), { code: 'EAI_AGAIN' }), DynamoErrorCode.NETWORK, true],
    ['table missing', sdkError('ResourceNotFoundException'), DynamoErrorCode.TABLE_NOT_FOUND, true],
    ['access denied', sdkError('AccessDeniedException'), DynamoErrorCode.ACCESS_DENIED, true],
    ['expired token', sdkError('ExpiredTokenException'), DynamoErrorCode.ACCESS_DENIED, true],
    [
      'item too large (put)',
      sdkError('ValidationException', 'Item size has exceeded the maximum allowed size'),
      DynamoErrorCode.ITEM_TOO_LARGE,
      false,
    ],
    [
      'item too large (update)',
      sdkError('ValidationException', 'Item size to update has exceeded the maximum allowed size'),
      DynamoErrorCode.ITEM_TOO_LARGE,
      false,
    ],
    [
      'key type',
      sdkError('ValidationException', 'One or more parameter values were invalid: Type mismatch for key'),
      DynamoErrorCode.INVALID_KEY,
      false,
    ],
    ['key missing', sdkError('ValidationException', 'One of the required keys was not given a value'), DynamoErrorCode.INVALID_KEY, false],
    [
      'empty key',
      sdkError('ValidationException', 'The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'),
      DynamoErrorCode.INVALID_KEY,
      false,
    ],
    [
      'document path',
      sdkError('ValidationException', 'The document path provided in the update expression is invalid for update'),
      DynamoErrorCode.INVALID_DOCUMENT_PATH,
      false,
    ],
    ['other validation', sdkError('ValidationException', 'Empty attribute name'), DynamoErrorCode.VALIDATION, false],
    ['condition', sdkError('ConditionalCheckFailedException'), DynamoErrorCode.CONDITION_FAILED, false],
    ['LSI collection full', sdkError('ItemCollectionSizeLimitExceededException'), DynamoErrorCode.ITEM_COLLECTION_TOO_LARGE, false],
    ['our own bug', new TypeError('x is undefined'), DynamoErrorCode.UNKNOWN, true],
    ['a thrown string', 'boom', DynamoErrorCode.UNKNOWN, true],
  ];

  it.each(cases)('%s → %s (retriable %s)', (_label, error, code, retriable) => {
    const classified = classifyDynamoError(error, { table: 't' });
    expect(classified).toBeInstanceOf(DynamoError);
    expect(classified.code).toBe(code);
    expect(classified.retriable).toBe(retriable);
    expect(classified.cause).toBe(error);
    expect(classified.details.table).toBe('t');
  });

  it('keeps the AWS error name and request id for the DLQ record', () => {
    const classified = classifyDynamoError(sdkError('ThrottlingException', 'slow down'));
    expect(classified.message).toBe('ThrottlingException: slow down');
    expect(classified.details).toMatchObject({ awsError: 'ThrottlingException', httpStatusCode: 400, requestId: 'req-1' });
  });

  it('passes its own errors through unchanged', () => {
    const own = new DynamoError(DynamoErrorCode.INVALID_COMMAND, 'bad');
    expect(classifyDynamoError(own)).toBe(own);
  });

  it('recognises the two failures applyCommand handles itself', () => {
    expect(isConditionalCheckFailed(sdkError('ConditionalCheckFailedException'))).toBe(true);
    expect(isConditionalCheckFailed(sdkError('ValidationException'))).toBe(false);
    expect(isConditionalCheckFailed(undefined)).toBe(false);
    expect(isInvalidDocumentPath(sdkError('ValidationException', 'The document path provided in the update expression is invalid for update'))).toBe(true);
    expect(isInvalidDocumentPath(sdkError('ValidationException', 'Item size has exceeded the maximum allowed size'))).toBe(false);
  });
});
