import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { forEachConcurrently } from '../sdk/for-each-concurrently';
import { scanSegmentCount } from './scan-segments';

/**
 * Counts the items of a table that have `attribute = value` (e.g. the entity type), with a
 * parallel scan: segments sized by the table (scan-segments.ts), `concurrency` of them at a time.
 * This reads the whole table: fine for progress and count checks; at scale prefer the
 * reconciler's sampled runs.
 */
export async function countItems(
  client: DynamoDBClient,
  table: string,
  filter?: { attribute: string; value: string },
  concurrency = 4,
): Promise<number> {
  const segments = await scanSegmentCount(client, table, concurrency);
  let total = 0;
  const segmentNumbers = Array.from({ length: segments }, (_unused, segment) => segment);
  await forEachConcurrently(segmentNumbers, concurrency, async (segment) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const response = await client.send(
        new ScanCommand({
          TableName: table,
          Select: 'COUNT',
          Segment: segment,
          TotalSegments: segments,
          ...(filter
            ? { FilterExpression: '#a = :v', ExpressionAttributeNames: { '#a': filter.attribute }, ExpressionAttributeValues: { ':v': { S: filter.value } } }
            : {}),
          ...(startKey ? { ExclusiveStartKey: startKey as never } : {}),
        }),
      );
      total += response.Count ?? 0;
      startKey = response.LastEvaluatedKey;
    } while (startKey);
  });
  return total;
}
