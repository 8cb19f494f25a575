import { randomUUID } from 'node:crypto';

import { DeleteTableCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeMap, TableSpec } from '@pg2ddb/contracts';

import { createDynamoClient } from '../sdk/create-dynamo-client';
import { ensureTable } from '../table/ensure-table';
import { fromSdkItem } from '../sdk/from-sdk-attribute-value';

/** A client for the DynamoDB the integration run points at (jest.int.config.js checks the variable). */
export function integrationClient(): DynamoDBClient {
  // The local emulator accepts any credentials; real ones still come from the default chain when set.
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  return createDynamoClient({
    endpoint: process.env.PG2DDB_DYNAMO_ENDPOINT,
    region: process.env.AWS_REGION ?? 'us-east-1',
    maxAttempts: 2,
    requestTimeoutMs: 10_000,
  });
}

/** A table name no other test (or parallel run) uses. */
export function randomTableName(purpose: string): string {
  return `pg2ddb-it-${purpose}-${randomUUID().slice(0, 8)}`;
}

/** A simple pk-only table spec. */
export function simpleSpec(name: string): TableSpec {
  return { name, partitionKey: { name: 'pk', type: 'S' }, gsis: [] };
}

/** Creates the table and returns a function that drops it. */
export async function withTable(client: DynamoDBClient, spec: TableSpec): Promise<() => Promise<void>> {
  await ensureTable(client, spec, { waitTimeoutMs: 20_000 });
  return async () => {
    await client.send(new DeleteTableCommand({ TableName: spec.name }));
  };
}

/** Reads an item (consistently) in the contract's form, or undefined. */
export async function readItem(client: DynamoDBClient, table: string, pk: string): Promise<AttributeMap | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }));
  return Item === undefined ? undefined : fromSdkItem(Item);
}
