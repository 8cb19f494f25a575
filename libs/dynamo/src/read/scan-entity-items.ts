import { ScanCommand, type ScanCommandInput, type AttributeValue as SdkAttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RESERVED_ATTRIBUTES, type AttributeMap } from '@pg2ddb/contracts';

import { forEachConcurrently } from '../sdk/for-each-concurrently';
import { fromSdkItem } from '../sdk/from-sdk-attribute-value';
import { scanSegmentCount } from './scan-segments';

/**
 * Keeps the SDK from building an info-level log record of a bulk read's response. Its logger
 * middleware filters the whole output through the operation schema (`schemaLogFilter`) whenever
 * the logger has an `info` method — the default no-op logger has one — which cost about 2/3 of
 * this process's CPU for a Scan on a local DynamoDB (1.3 s → 0.44 s per 20,000 items). The record
 * would be the items themselves, never wanted in a log; debug, warn and error still reach the
 * client's logger. Affects only the command it is applied to.
 */
export function withoutResponseLog<C extends { middlewareStack: { add: (...args: never[]) => void } }>(command: C): C {
  const stack = command.middlewareStack as unknown as {
    add: (middleware: (next: (args: unknown) => Promise<unknown>, context: { logger?: Record<string, unknown> }) => (args: unknown) => Promise<unknown>, options: { step: 'initialize'; name: string }) => void;
  };
  stack.add(
    (next, context) => (args) => {
      const logger = context.logger;
      if (logger && typeof logger.info === 'function') {
        const { info: _skipped, ...rest } = logger;
        // Own bound methods: the originals may rely on `this`.
        context.logger = Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, typeof value === 'function' ? value.bind(logger) : value]));
      }
      return next(args);
    },
    { step: 'initialize', name: 'pg2ddbWithoutResponseLog' },
  );
  return command;
}

export interface ScanEntityOptions {
  table: string;
  /** Only items with `attribute = value` (the mapping's entity-type attribute). */
  entityType: { attribute: string; value: string };
  /**
   * At least this many scan segments (DynamoDB's Segment/TotalSegments); a large table gets more,
   * about ITEMS_PER_SEGMENT items each (see scan-segments.ts).
   */
  segments?: number;
  /**
   * One Scan over the whole table, no segments (`segments` and `concurrency` are ignored): a
   * background scan that should take little of the table's capacity. On the emulator it is also
   * much the cheapest: moto sorts and walks the whole table for every page of every segment.
   */
  sequential?: boolean;
  /** Segments scanned at the same time (default 8): what bounds memory and load. */
  concurrency?: number;
  /** Items evaluated per Scan call (before the filter). */
  pageSize?: number;
  consistentRead?: boolean;
  /** Only items whose `_ver` is below this version (items without `_ver` are left out). */
  versionBelow?: string;
}

/**
 * Scans every item of one entity with a parallel Scan and a FilterExpression on the entity type,
 * handing each page to `onPage` as it arrives. The table is split into segments by its size and
 * `concurrency` loops take them in turn; each reads its next page while the current one is
 * handled, so at most two pages per loop are in memory: bounded whatever the table size.
 * Resolves with the number of items handed over.
 */
export async function scanEntityItems(
  client: DynamoDBClient,
  options: ScanEntityOptions,
  onPage: (items: AttributeMap[], segment: number) => Promise<void>,
): Promise<number> {
  const segments = options.sequential ? 1 : await scanSegmentCount(client, options.table, options.segments ?? 4);
  const scanPage = (segment: number, startKey: Record<string, SdkAttributeValue> | undefined) =>
    client.send(
      withoutResponseLog(
        new ScanCommand({
          TableName: options.table,
          ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
          ConsistentRead: options.consistentRead ?? true,
          ...(options.pageSize ? { Limit: options.pageSize } : {}),
          ...filterOf(options),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
  let total = 0;
  const segmentNumbers = Array.from({ length: segments }, (_unused, segment) => segment);
  await forEachConcurrently(segmentNumbers, options.sequential ? 1 : (options.concurrency ?? 8), async (segment) => {
    let response = await scanPage(segment, undefined);
    for (;;) {
      // Read the segment's next page while this one is handled: DynamoDB and the caller work
      // at the same time, and still at most two pages per loop are held.
      const next = response.LastEvaluatedKey ? scanPage(segment, response.LastEvaluatedKey) : undefined;
      const items = (response.Items ?? []).map(fromSdkItem);
      try {
        if (items.length > 0) await onPage(items, segment);
      } catch (error) {
        await next?.catch(() => undefined);
        throw error;
      }
      total += items.length;
      if (!next) return;
      response = await next;
    }
  });
  return total;
}

function filterOf(options: ScanEntityOptions): Pick<ScanCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const entity = { S: options.entityType.value };
  if (options.versionBelow === undefined) {
    return { FilterExpression: '#entityType = :entityType', ExpressionAttributeNames: { '#entityType': options.entityType.attribute }, ExpressionAttributeValues: { ':entityType': entity } };
  }
  return {
    FilterExpression: '#entityType = :entityType AND #ver < :below',
    ExpressionAttributeNames: { '#entityType': options.entityType.attribute, '#ver': RESERVED_ATTRIBUTES.version },
    ExpressionAttributeValues: { ':entityType': entity, ':below': { S: options.versionBelow } },
  };
}
