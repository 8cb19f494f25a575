import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

import { classifyDynamoError } from './classify-dynamo-error';
import { DynamoErrorCode, type DynamoError } from './dynamo-error';
import { pauseBeforeRetry, type DynamoRetryOptions } from './dynamo-retry';
import { chunksOf, forEachConcurrently } from './for-each-concurrently';
import { fromSdkItem } from './from-sdk-attribute-value';
import { itemIdentity } from './item-identity';

/** One put or delete for BatchWriteItem, and who asked for it. */
export interface ItemWriteRequest {
  table: string;
  request: WriteRequest;
  /** The table's key attribute names (to recognise the request when DynamoDB returns it unprocessed). */
  keyNames: readonly string[];
  /** Caller's reference, reported back on failure. */
  owner: number;
}

/** Requests that did not succeed: retriable ones ran out of attempts; refused ones failed a whole call permanently. */
export interface ItemBatchFailures {
  /** owner → the retriable error that outlasted the retries. */
  retriable: Map<number, DynamoError>;
  /** owner → the permanent error of a call it was part of; the culprit may be another request of that call. */
  refused: Map<number, DynamoError>;
}

// DynamoDB's limit of put/delete requests per BatchWriteItem call.
const REQUESTS_PER_CALL = 25;

/**
 * Writes puts and deletes with BatchWriteItem, 25 per call, `concurrency` calls at a time. Items
 * DynamoDB returns as unprocessed are sent again with backoff and count as written only once
 * DynamoDB accepted them; throttling and other retriable faults are retried the same way up to
 * `retry.maxAttempts`. BatchWriteItem has no conditions: the caller has already decided, from the
 * stored versions, that every request here is newer than what the table holds. A call that fails
 * permanently (one item over 400 KB fails the whole call) reports all its requests as `refused`,
 * for the caller to redo them one by one and find the culprit.
 */
export async function writeItemBatches(
  client: DynamoDBClient,
  requests: readonly ItemWriteRequest[],
  options: DynamoRetryOptions & { concurrency: number; onCall?: (requests: number) => void },
): Promise<ItemBatchFailures> {
  const failures: ItemBatchFailures = { retriable: new Map(), refused: new Map() };
  await forEachConcurrently(chunksOf(requests, REQUESTS_PER_CALL), options.concurrency, (chunk) => writeChunk(client, chunk, options, failures));
  return failures;
}

async function writeChunk(
  client: DynamoDBClient,
  chunk: ItemWriteRequest[],
  options: DynamoRetryOptions & { onCall?: (requests: number) => void },
  failures: ItemBatchFailures,
): Promise<void> {
  let pending = chunk;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const requestItems: Record<string, WriteRequest[]> = {};
    for (const entry of pending) (requestItems[entry.table] ??= []).push(entry.request);
    try {
      options.onCall?.(pending.length);
      const output = await client.send(new BatchWriteItemCommand({ RequestItems: requestItems }));
      const unprocessed = unprocessedIds(output.UnprocessedItems, pending);
      if (unprocessed.size === 0) return;
      pending = pending.filter((entry) => unprocessed.has(identityOf(entry)));
      if (attempt >= options.retry.maxAttempts) {
        const error = classifyDynamoError(
          Object.assign(new Error(`BatchWriteItem left ${pending.length} item(s) unprocessed after ${attempt} attempts`), {
            name: 'ProvisionedThroughputExceededException',
          }),
        );
        for (const entry of pending) failures.retriable.set(entry.owner, error);
        return;
      }
      await pauseBeforeRetry(options, { operation: 'BatchWriteItem', reason: 'unprocessed', attempt, items: pending.length });
    } catch (thrown) {
      const error = classifyDynamoError(thrown, { operation: 'BatchWriteItem', tables: Object.keys(requestItems) });
      if (!error.retriable) {
        for (const entry of pending) failures.refused.set(entry.owner, error);
        return;
      }
      if (attempt >= options.retry.maxAttempts) {
        for (const entry of pending) failures.retriable.set(entry.owner, error);
        return;
      }
      const reason = error.code === DynamoErrorCode.THROTTLED ? 'throttled' : 'error';
      await pauseBeforeRetry(options, { operation: 'BatchWriteItem', reason, attempt, items: pending.length, error });
    }
  }
}

function identityOf(entry: ItemWriteRequest): string {
  const key = entry.request.PutRequest?.Item ?? entry.request.DeleteRequest?.Key ?? {};
  const picked: typeof key = {};
  for (const name of entry.keyNames) if (key[name] !== undefined) picked[name] = key[name];
  return itemIdentity(entry.table, fromSdkItem(picked));
}

function unprocessedIds(unprocessed: Record<string, WriteRequest[]> | undefined, pending: ItemWriteRequest[]): Set<string> {
  const ids = new Set<string>();
  if (unprocessed === undefined) return ids;
  const keyNamesByTable = new Map(pending.map((entry) => [entry.table, entry.keyNames]));
  for (const [table, requests] of Object.entries(unprocessed)) {
    const keyNames = keyNamesByTable.get(table) ?? [];
    for (const request of requests) {
      ids.add(identityOf({ table, request, keyNames, owner: -1 }));
    }
  }
  return ids;
}
