import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { describeTable, describeTimeToLive } from './describe-table';

/** A table's state for `status`: DynamoDB's estimates (refreshed about every six hours), not counts. */
export interface TableSummary {
  name: string;
  status: string;
  billingMode: string;
  itemCountEstimate: number;
  sizeBytesEstimate: number;
  gsis: { name: string; status: string; backfilling: boolean; itemCountEstimate: number }[];
  ttl: { status: string; attribute: string | undefined };
}

/**
 * Summarises a table for operator status output: status, billing, item count and size estimates,
 * each GSI's status, TTL. Resolves undefined when the table does not exist.
 */
export async function describeTableSummary(client: DynamoDBClient, tableName: string): Promise<TableSummary | undefined> {
  const table = await describeTable(client, tableName);
  if (table === undefined) return undefined;
  const ttl = await describeTimeToLive(client, tableName);
  return {
    name: tableName,
    status: table.TableStatus ?? 'UNKNOWN',
    billingMode: table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    itemCountEstimate: table.ItemCount ?? 0,
    sizeBytesEstimate: table.TableSizeBytes ?? 0,
    gsis: (table.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName ?? '',
      status: index.IndexStatus ?? 'UNKNOWN',
      backfilling: index.Backfilling ?? false,
      itemCountEstimate: index.ItemCount ?? 0,
    })),
    ttl: { status: ttl?.TimeToLiveStatus ?? 'UNKNOWN', attribute: ttl?.AttributeName },
  };
}
