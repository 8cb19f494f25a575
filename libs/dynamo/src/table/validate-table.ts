import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableSpec } from '@pg2ddb/contracts';

import { describeTable, describeTimeToLive } from './describe-table';
import { findTableProblems } from './find-table-problems';

/**
 * Checks a live table against its spec and returns every difference as a message (empty when the
 * table matches): missing table, key schema names/types, missing GSI, GSI key schema or
 * projection, table or GSI not ACTIVE, TTL disabled or on another attribute. Read-only.
 */
export async function validateTable(client: DynamoDBClient, spec: TableSpec): Promise<string[]> {
  const table = await describeTable(client, spec.name);
  const ttl = table === undefined ? undefined : await describeTimeToLive(client, spec.name);
  return findTableProblems(spec, table, ttl).map((problem) => problem.message);
}
