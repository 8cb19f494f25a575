import { BatchGetItemCommand, type BatchGetItemCommandOutput, type DynamoDBClient, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '@pg2ddb/contracts';

import { retryWithBackoff, type RetryPolicy } from '@pg2ddb/errors';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { fromSdkItem } from '../sdk/from-sdk-attribute-value';
import { withoutResponseLog } from './scan-entity-items';
import { toSdkItem } from '../sdk/to-sdk-attribute-value';

/** DynamoDB's limit of keys per BatchGetItem call. */
const MAX_KEYS_PER_CALL = 100;
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 2000 };

/**
 * Reads the items with these keys (any number: split into calls of 100, `concurrency` calls at a
 * time), retrying unprocessed keys with backoff. Returns one entry per key, in the keys' order:
 * the item in the contract's form, or undefined when there is none. `keyNames` are the table's key
 * attribute names, used to match returned items to keys.
 */
export async function batchGetItems(
  client: DynamoDBClient,
  input: { table: string; keys: readonly AttributeMap[]; keyNames: readonly string[]; consistentRead?: boolean; concurrency?: number; retry?: RetryPolicy },
): Promise<Array<AttributeMap | undefined>> {
  const found = new Map<string, AttributeMap>();
  const identity = (item: AttributeMap) => input.keyNames.map((name) => JSON.stringify(item[name] ?? null)).join('|');
  const chunks: AttributeMap[][] = [];
  for (let start = 0; start < input.keys.length; start += MAX_KEYS_PER_CALL) chunks.push(input.keys.slice(start, start + MAX_KEYS_PER_CALL) as AttributeMap[]);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      for (const item of await getChunk(client, input.table, chunk, input.consistentRead ?? true, input.retry ?? DEFAULT_RETRY)) found.set(identity(item), item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.concurrency ?? 4, chunks.length)) }, worker));
  return input.keys.map((key) => found.get(identity(key)));
}

async function getChunk(client: DynamoDBClient, table: string, keys: AttributeMap[], consistentRead: boolean, retry: RetryPolicy): Promise<AttributeMap[]> {
  const items: AttributeMap[] = [];
  let request: KeysAndAttributes = { Keys: keys.map(toSdkItem), ConsistentRead: consistentRead };
  return retryWithBackoff<AttributeMap[]>(
    'BatchGetItem',
    { retry },
    async () => {
      const response: BatchGetItemCommandOutput = await client.send(withoutResponseLog(new BatchGetItemCommand({ RequestItems: { [table]: request } })));
      for (const item of response.Responses?.[table] ?? []) items.push(fromSdkItem(item));
      const unprocessed = response.UnprocessedKeys?.[table];
      if (!unprocessed?.Keys || unprocessed.Keys.length === 0) return { done: items };
      request = unprocessed;
      return {
        again: { reason: 'unprocessed', items: unprocessed.Keys.length },
        exhausted: () => {
          throw new DynamoError(DynamoErrorCode.THROTTLED, `BatchGetItem on ${table}: ${unprocessed.Keys?.length} keys still unprocessed after ${retry.maxAttempts} attempts`, {
            retriable: true,
          });
        },
      };
    },
    keys.length,
  );
}
