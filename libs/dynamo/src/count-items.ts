import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts the items of a table that have `attribute = value` (e.g. the entity type), with a
 * parallel scan. This reads the whole table: fine for progress and count checks on demo and
 * test sizes; at scale prefer the reconciler's sampled or segmented runs.
 */
export async function countItems(
  client: DynamoDBClient,
  table: string,
  filter?: { attribute: string; value: string },
  segments = 4,
): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_unused, segment) => {
      let count = 0;
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
        count += response.Count ?? 0;
        startKey = response.LastEvaluatedKey;
      } while (startKey);
      return count;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
