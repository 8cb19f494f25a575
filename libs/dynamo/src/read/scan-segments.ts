import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Items per parallel-scan segment to aim for. On DynamoDB a segment of a few thousand items means
 * more, smaller requests that spread over partitions. Local emulators differ: one that sorts what
 * remains of a segment on every page (measured on a vendor emulator, 300,000 items of ~250 B:
 * 8 segments 11,400 items/s, 64 segments 37,200) gains a lot from small segments; moto sorts the
 * whole table on every page whatever the segmentation, so a full scan there costs time in
 * proportion to the table's size squared (infra/local/README.md has its figures).
 */
export const ITEMS_PER_SEGMENT = 5000;
/** Upper bound of the segments one scan is split into (DynamoDB allows 1,000,000). */
export const MAX_SEGMENTS = 4096;

/** The segments for a table of `itemCount` items: at least `atLeast`, about ITEMS_PER_SEGMENT each. */
export function segmentsForItemCount(itemCount: number, atLeast: number): number {
  const floor = Math.max(1, Math.floor(atLeast));
  return Math.min(MAX_SEGMENTS, Math.max(floor, Math.ceil(Math.max(0, itemCount) / ITEMS_PER_SEGMENT)));
}

/**
 * The segments to scan `table` with, from its item count as DescribeTable reports it (DynamoDB
 * refreshes that about every six hours; the local emulator keeps it current). A table that cannot be
 * described gets `atLeast`, and the scan itself reports why.
 */
export async function scanSegmentCount(client: DynamoDBClient, table: string, atLeast: number): Promise<number> {
  const described = await client.send(new DescribeTableCommand({ TableName: table })).catch(() => undefined);
  return segmentsForItemCount(described?.Table?.ItemCount ?? 0, atLeast);
}
