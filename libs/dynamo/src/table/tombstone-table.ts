import {
  CreateTableCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';

import { classifyDynamoError } from '../sdk/classify-dynamo-error';
import { describeTable } from './describe-table';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { waitForTableActive } from './wait-for-table-active';

/**
 * Tombstones live in a companion table, not in the synced table: readers of the synced table
 * (applications, GetItem, Scan, item counts) must see a deleted row as simply gone.
 */
export const TOMBSTONES = {
  suffix: '.pg2ddb-tombstones',
  /** Epoch seconds after which DynamoDB's TTL removes the tombstone. */
  expiresAttribute: '_expires',
} as const;

/** The name of the tombstone table that belongs to a synced table. */
export function tombstoneTableName(table: string): string {
  return `${table}${TOMBSTONES.suffix}`;
}

/**
 * Makes sure the tombstone table of `table` exists and is ACTIVE, creating it on first use with
 * the synced table's key schema, on-demand billing and TTL on `_expires`. Idempotent and safe when
 * several writers race to create it. Missing synced table → retriable TABLE_NOT_FOUND.
 */
export async function ensureTombstoneTable(client: DynamoDBClient, table: string, timeoutMs = 60_000): Promise<string> {
  const name = tombstoneTableName(table);
  const existing = await describeTable(client, name);
  if (existing?.TableStatus === 'ACTIVE') return name;
  if (existing === undefined) {
    const main = await describeTable(client, table);
    if (main === undefined) {
      throw new DynamoError(DynamoErrorCode.TABLE_NOT_FOUND, `Table ${table} does not exist (run 'pg2ddb init')`, {
        retriable: true,
        details: { table },
      });
    }
    const keySchema = main.KeySchema ?? [];
    const keyNames = new Set(keySchema.map((element: KeySchemaElement) => element.AttributeName));
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keySchema,
          AttributeDefinitions: (main.AttributeDefinitions ?? []).filter((definition) => keyNames.has(definition.AttributeName)),
        }),
      );
    } catch (error) {
      // Another writer created it between our DescribeTable and CreateTable.
      if ((error as { name?: string }).name !== 'ResourceInUseException') throw classifyDynamoError(error, { table: name, operation: 'CreateTable' });
    }
  }
  await waitForTableActive(client, name, { timeoutMs });
  try {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: TOMBSTONES.expiresAttribute, Enabled: true } }),
    );
  } catch (error) {
    // "TimeToLive is already enabled" is the idempotent case.
    if (!/already enabled/i.test(String((error as { message?: string }).message))) {
      throw classifyDynamoError(error, { table: name, operation: 'UpdateTimeToLive' });
    }
  }
  return name;
}

/** Remembers which tombstone tables are known to exist, so each is checked once per process. */
export class TombstoneTables {
  private readonly ready = new Map<string, Promise<string>>();

  constructor(private readonly client: DynamoDBClient) {}

  /** Resolves the tombstone table name of `table` once it exists; a failure is retried on the next call. */
  ensure(table: string): Promise<string> {
    let pending = this.ready.get(table);
    if (pending === undefined) {
      pending = ensureTombstoneTable(this.client, table);
      this.ready.set(table, pending);
      pending.catch(() => this.ready.delete(table));
    }
    return pending;
  }
}
