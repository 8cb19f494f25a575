import { BatchGetItemCommand, type BatchGetItemCommandOutput, type DynamoDBClient, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '@pg2ddb/contracts';
import type { StoredVersions } from '@pg2ddb/sync';

import { classifyDynamoError } from '../sdk/classify-dynamo-error';
import { DynamoErrorCode, type DynamoError } from '../sdk/dynamo-error';
import { retryWithBackoff, type RetryOptions } from '@pg2ddb/errors';
import { chunksOf, forEachConcurrently } from '../sdk/for-each-concurrently';
import { fromSdkItem } from '../sdk/from-sdk-attribute-value';
import { itemIdentity } from './item-identity';
import { toSdkItem } from '../sdk/to-sdk-attribute-value';
import { VERSION_GUARD } from './version-guard';

/** One item whose stored versions are wanted. */
export interface ItemRef {
  /** `itemIdentity(table, key)`. */
  id: string;
  table: string;
  key: AttributeMap;
  /** The table's tombstone table. */
  tombstoneTable: string;
}

/** Versions found per item id, and the items whose key DynamoDB refused (permanent errors). */
export interface StoredVersionsResult {
  versions: Map<string, StoredVersions>;
  refused: Map<string, DynamoError>;
}

// 50 items × (the item + its tombstone) = DynamoDB's 100 keys per BatchGetItem.
const ITEMS_PER_CALL = 50;

/**
 * Reads, with strongly consistent BatchGetItem calls, each item's `_ver` and its tombstone's, so
 * the writer can decide which commands are stale before writing (the version guard of the batch
 * path). Only key attributes and `_ver` are projected. Unprocessed keys and retriable faults are
 * retried with backoff; after `retry.maxAttempts` the retriable error is thrown (nothing is
 * guessed). A call DynamoDB rejects as invalid (e.g. a key of the wrong type) is split until the
 * offending item is alone, and that item is reported in `refused` with the error.
 */
export async function readStoredVersions(
  client: DynamoDBClient,
  refs: readonly ItemRef[],
  options: RetryOptions & { concurrency: number },
): Promise<StoredVersionsResult> {
  const result: StoredVersionsResult = { versions: new Map(), refused: new Map() };
  const byTable = new Map<string, ItemRef[]>();
  for (const ref of refs) {
    const list = byTable.get(ref.table);
    if (list) list.push(ref);
    else byTable.set(ref.table, [ref]);
  }
  const chunks = [...byTable.values()].flatMap((list) => chunksOf(list, ITEMS_PER_CALL));
  await forEachConcurrently(chunks, options.concurrency, (chunk) => readChunk(client, chunk, options, result));
  return result;
}

async function readChunk(client: DynamoDBClient, refs: ItemRef[], options: RetryOptions, result: StoredVersionsResult): Promise<void> {
  const first = refs[0] as ItemRef;
  const keyNames = Object.keys(first.key);
  const names: Record<string, string> = { [VERSION_GUARD.nameToken]: VERSION_GUARD.attribute };
  keyNames.forEach((name, index) => (names[`#k${index}`] = name));
  const projection = [VERSION_GUARD.nameToken, ...keyNames.map((_, index) => `#k${index}`)].join(', ');
  const keysAndAttributes = (): KeysAndAttributes => ({
    Keys: refs.map((ref) => toSdkItem(ref.key)),
    ProjectionExpression: projection,
    ExpressionAttributeNames: names,
    ConsistentRead: true,
  });
  let request: Record<string, KeysAndAttributes> | undefined;
  try {
    request = { [first.table]: keysAndAttributes(), [first.tombstoneTable]: keysAndAttributes() };
  } catch (error) {
    return splitOrRefuse(client, refs, classifyDynamoError(error), options, result);
  }
  let pending: Record<string, KeysAndAttributes> = request;
  const refusedBy = await retryWithBackoff<DynamoError | undefined>('BatchGetItem', options, async (attempt) => {
    let output: BatchGetItemCommandOutput;
    try {
      output = await client.send(new BatchGetItemCommand({ RequestItems: pending }));
    } catch (thrown) {
      const error = classifyDynamoError(thrown, { table: first.table, operation: 'BatchGetItem' });
      // An unknown error that outlasts the retries is isolated to its item like a permanent one (capped).
      if (!error.retriable || (error.code === DynamoErrorCode.UNKNOWN && attempt >= options.retry.maxAttempts)) return { done: error };
      throw error;
    }
    recordVersions(output, first, keyNames, result);
    const unprocessed = output.UnprocessedKeys;
    if (unprocessed === undefined || Object.keys(unprocessed).length === 0) return { done: undefined };
    pending = unprocessed;
    return {
      again: { reason: 'unprocessed', items: Object.values(unprocessed).reduce((sum, entry) => sum + (entry.Keys?.length ?? 0), 0) },
      exhausted: () => {
        throw classifyDynamoError(Object.assign(new Error('BatchGetItem left keys unprocessed after every retry'), { name: 'ProvisionedThroughputExceededException' }));
      },
    };
  }, refs.length);
  if (refusedBy !== undefined) return splitOrRefuse(client, refs, refusedBy, options, result);
}

/** Records each returned item's and tombstone's `_ver` by item identity. */
function recordVersions(output: BatchGetItemCommandOutput, first: ItemRef, keyNames: string[], result: StoredVersionsResult): void {
  for (const [table, items] of Object.entries(output.Responses ?? {})) {
    const tombstone = table === first.tombstoneTable;
    for (const sdkItem of items) {
      const item = fromSdkItem(sdkItem);
      const id = itemIdentity(first.table, pick(item, keyNames));
      const version = item[VERSION_GUARD.attribute];
      const known = version !== undefined && 'S' in version ? version.S : undefined;
      const stored = result.versions.get(id) ?? {};
      if (tombstone) {
        if (known === undefined) continue;
        stored.tombstone = known;
      } else {
        // An item without `_ver` (loaded by another tool, a parent created by a child's update)
        // still exists: a delete must remove it.
        stored.exists = true;
        if (known !== undefined) stored.item = known;
      }
      result.versions.set(id, stored);
    }
  }
}

async function splitOrRefuse(
  client: DynamoDBClient,
  refs: ItemRef[],
  error: DynamoError,
  options: RetryOptions,
  result: StoredVersionsResult,
): Promise<void> {
  if (refs.length === 1) {
    result.refused.set((refs[0] as ItemRef).id, error);
    return;
  }
  const middle = Math.ceil(refs.length / 2);
  await readChunk(client, refs.slice(0, middle), options, result);
  await readChunk(client, refs.slice(middle), options, result);
}

function pick(item: AttributeMap, names: readonly string[]): AttributeMap {
  const key: AttributeMap = {};
  for (const name of names) if (item[name] !== undefined) key[name] = item[name];
  return key;
}
