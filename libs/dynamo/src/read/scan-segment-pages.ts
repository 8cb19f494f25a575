import { ScanCommand, type DynamoDBClient, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '@pg2ddb/contracts';

import { classifyDynamoError } from '../sdk/classify-dynamo-error';
import { fromSdkItem } from '../sdk/from-sdk-attribute-value';
import { toSdkItem } from '../sdk/to-sdk-attribute-value';

/** One page of a parallel-scan segment; `next` undefined when the segment is finished. */
export interface ScanPage {
  items: AttributeMap[];
  next?: AttributeMap;
}

/**
 * Reads one segment of a parallel Scan page by page, from `startKey` (a checkpointed
 * LastEvaluatedKey) when resuming. Consistent reads, so an item written before the page is read is
 * in it.
 */
export async function* scanSegmentPages(client: DynamoDBClient, table: string, segment: number, totalSegments: number, startKey: AttributeMap | undefined, pageSize: number): AsyncGenerator<ScanPage> {
  let exclusiveStart = startKey;
  do {
    const page = await client
      .send(
        new ScanCommand({
          TableName: table,
          Segment: segment,
          TotalSegments: totalSegments,
          Limit: pageSize,
          ConsistentRead: true,
          ...(exclusiveStart ? { ExclusiveStartKey: toSdkItem(exclusiveStart) } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw classifyDynamoError(error, { table, segment });
      });
    exclusiveStart = page.LastEvaluatedKey ? fromSdkItem(page.LastEvaluatedKey as Record<string, SdkAttributeValue>) : undefined;
    yield { items: (page.Items ?? []).map((item) => fromSdkItem(item)), ...(exclusiveStart ? { next: exclusiveStart } : {}) };
  } while (exclusiveStart);
}
