import { BatchWriteItemCommand, type BatchWriteItemCommandOutput, DeleteItemCommand, type DynamoDBClient, PutItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';

import { classifyDynamoError, isConditionalCheckFailed } from '../sdk/classify-dynamo-error';
import { retryWithBackoff, type RetryOptions } from '@pg2ddb/errors';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';

import { chunksOf, forEachConcurrently } from '../sdk/for-each-concurrently';
import { fromSdkItem } from '../sdk/from-sdk-attribute-value';
import { itemIdentity } from './item-identity';
import { VERSION_GUARD } from './version-guard';

/** One put or delete for BatchWriteItem, and who asked for it. */
export interface ItemWriteRequest {
  table: string;
  request: WriteRequest;
  /** The table's key attribute names (to recognise the request when DynamoDB returns it unprocessed). */
  keyNames: readonly string[];
  /** Caller's reference, reported back on failure. */
  owner: number;
  /** The version this request writes (a put's item carries it as `_ver`; a delete's is given here). */
  version?: string;
}

/** How writeItemBatches fences and guards its calls. */
export interface WriteBatchOptions extends RetryOptions {
  concurrency: number;
  onCall?: (requests: number) => void;
  /** Awaited before every write call; throwing stops the writes (e.g. the partition was revoked). */
  beforeWrite?: () => Promise<void>;
  /** Write every request as a conditional single-item write from the start (e.g. a retried batch). */
  conditional?: boolean;
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
 *
 * A write that follows a retry is conditional: requests sent again after an error or as
 * unprocessed go out as single PutItem/DeleteItem calls under the version guard, never as a second
 * unconditional BatchWriteItem. The versions were read before the first attempt; by the time a
 * retry lands another writer may own the item (this one was expelled from its group while
 * DynamoDB was down) and may have written a newer version, which the condition then keeps.
 */
export async function writeItemBatches(client: DynamoDBClient, requests: readonly ItemWriteRequest[], options: WriteBatchOptions): Promise<ItemBatchFailures> {
  const failures: ItemBatchFailures = { retriable: new Map(), refused: new Map() };
  await forEachConcurrently(chunksOf(requests, REQUESTS_PER_CALL), options.concurrency, (chunk) => writeChunk(client, chunk, options, failures));
  return failures;
}

async function writeChunk(client: DynamoDBClient, chunk: ItemWriteRequest[], options: WriteBatchOptions, failures: ItemBatchFailures): Promise<void> {
  let pending = chunk;
  let conditional = options.conditional === true;
  // A fence (beforeWrite) ends the chunk at once, whatever its error says about retrying.
  let fenced: { error: unknown } | undefined;
  try {
    await retryWithBackoff<void>(
      'BatchWriteItem',
      options,
      async () => {
        try {
          await options.beforeWrite?.();
        } catch (error) {
          fenced = { error };
          return { done: undefined };
        }
        if (conditional) {
          const failed = await writeConditionally(client, pending, failures);
          if (failed.length === 0) return { done: undefined };
          pending = failed.map((entry) => entry.entry);
          const error = (failed[0] as { error: DynamoError }).error;
          return {
            again: { reason: error.code === DynamoErrorCode.THROTTLED ? 'throttled' : 'error', items: pending.length, error },
            exhausted: () => {
              for (const { entry, error: itsError } of failed) failures.retriable.set(entry.owner, itsError);
            },
          };
        }
        const requestItems: Record<string, WriteRequest[]> = {};
        for (const entry of pending) (requestItems[entry.table] ??= []).push(entry.request);
        let output: BatchWriteItemCommandOutput;
        try {
          options.onCall?.(pending.length);
          output = await client.send(new BatchWriteItemCommand({ RequestItems: requestItems }));
        } catch (thrown) {
          const error = classifyDynamoError(thrown, { operation: 'BatchWriteItem', tables: Object.keys(requestItems) });
          if (!error.retriable) {
            for (const entry of pending) failures.refused.set(entry.owner, error);
            return { done: undefined };
          }
          // The call may have landed with its answer lost; either way the retry must not overwrite blindly.
          conditional = true;
          throw error;
        }
        const unprocessed = unprocessedIds(output.UnprocessedItems, pending);
        if (unprocessed.size === 0) return { done: undefined };
        pending = pending.filter((entry) => unprocessed.has(identityOf(entry)));
        conditional = true;
        return {
          again: { reason: 'unprocessed', items: pending.length },
          exhausted: () => {
            const error = classifyDynamoError(
              Object.assign(new Error(`BatchWriteItem left ${pending.length} item(s) unprocessed after ${options.retry.maxAttempts} attempts`), {
                name: 'ProvisionedThroughputExceededException',
              }),
            );
            for (const entry of pending) failures.retriable.set(entry.owner, error);
          },
        };
      },
      chunk.length,
    );
  } catch (thrown) {
    // A retriable error outlasted every attempt.
    if (!(thrown instanceof DynamoError) || !thrown.retriable) throw thrown;
    for (const entry of pending) failures.retriable.set(entry.owner, thrown);
  }
  if (fenced) throw fenced.error;
}

/**
 * Each request as a single-item write under the version guard. A refused condition means the
 * table already holds this version or a newer one: done. Permanent errors go to `failures.refused`
 * (the caller redoes those commands on its single-item path); retriable ones are returned.
 */
async function writeConditionally(
  client: DynamoDBClient,
  entries: readonly ItemWriteRequest[],
  failures: ItemBatchFailures,
): Promise<Array<{ entry: ItemWriteRequest; error: DynamoError }>> {
  const failed: Array<{ entry: ItemWriteRequest; error: DynamoError }> = [];
  for (const entry of entries) {
    const put = entry.request.PutRequest?.Item;
    const version = entry.version ?? (put?.[VERSION_GUARD.attribute]?.S as string | undefined);
    const guard = {
      ConditionExpression: VERSION_GUARD.condition,
      ExpressionAttributeNames: { [VERSION_GUARD.nameToken]: VERSION_GUARD.attribute },
      ExpressionAttributeValues: { [VERSION_GUARD.valueToken]: { S: version ?? '' } },
    };
    try {
      if (version === undefined) throw new Error(`no version for a conditional write to ${entry.table}`);
      if (put) await client.send(new PutItemCommand({ TableName: entry.table, Item: put, ...guard }));
      else await client.send(new DeleteItemCommand({ TableName: entry.table, Key: entry.request.DeleteRequest?.Key, ...guard }));
    } catch (thrown) {
      if (isConditionalCheckFailed(thrown)) continue;
      const error = classifyDynamoError(thrown, { operation: put ? 'PutItem' : 'DeleteItem', table: entry.table });
      if (error.retriable) failed.push({ entry, error });
      else failures.refused.set(entry.owner, error);
    }
  }
  return failed;
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
