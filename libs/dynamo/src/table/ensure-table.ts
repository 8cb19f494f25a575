import { CreateTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { TableSpec } from '@pg2ddb/contracts';

import { classifyDynamoError } from '../sdk/classify-dynamo-error';
import { describeTable, describeTimeToLive } from './describe-table';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';
import { findTableProblems } from './find-table-problems';
import { type BillingMode, tableSpecToCreateInput } from './table-spec-to-create-input';
import { waitForTableActive } from './wait-for-table-active';

/** Options of {@link ensureTable}. */
export interface EnsureTableOptions {
  /** For a table this call creates; an existing table's billing is left alone. Default on-demand. */
  billingMode?: BillingMode;
  /** Bound on waiting for the table and its GSIs to become ACTIVE (default 5 minutes). */
  waitTimeoutMs?: number;
  onProgress?: (message: string) => void;
}

/** What ensureTable did. */
export interface EnsureTableResult {
  /** True when this call created the table. */
  created: boolean;
  /** True when TTL is enabled (or being enabled) on the spec's TTL attribute. */
  ttlEnabled: boolean;
}

/**
 * Makes the spec's table exist, idempotently. A missing table is created with its key schema,
 * attribute definitions and GSIs; then, whether created or found, the call waits (bounded) until
 * the table and every GSI are ACTIVE, validates it against the spec, and enables TTL on the
 * spec's attribute when it is off. An existing table that differs from the spec is never changed:
 * the call throws TABLE_MISMATCH whose message and `details.problems` list every difference.
 */
export async function ensureTable(
  client: DynamoDBClient,
  spec: TableSpec,
  options: EnsureTableOptions = {},
): Promise<EnsureTableResult> {
  const progress = options.onProgress ?? (() => undefined);
  const input = tableSpecToCreateInput(spec, options.billingMode);
  let created = false;
  if ((await describeTable(client, spec.name)) === undefined) {
    progress(`creating table ${spec.name}`);
    try {
      await client.send(new CreateTableCommand(input));
      created = true;
    } catch (error) {
      // Another replica or operator created it between our describe and create: validate theirs.
      if ((error as { name?: unknown }).name !== 'ResourceInUseException') {
        throw classifyDynamoError(error, { table: spec.name, operation: 'CreateTable' });
      }
    }
  }

  const table = await waitForTableActive(client, spec.name, {
    timeoutMs: options.waitTimeoutMs ?? 300_000,
    onProgress: progress,
  });
  const ttl = await describeTimeToLive(client, spec.name);
  const problems = findTableProblems(spec, table, ttl);
  const blocking = problems.filter((problem) => problem.kind !== 'ttl-disabled');
  if (blocking.length > 0) {
    const messages = blocking.map((problem) => problem.message);
    throw new DynamoError(DynamoErrorCode.TABLE_MISMATCH, `Table ${spec.name} does not match its spec: ${messages.join('; ')}`, {
      details: { table: spec.name, problems: messages },
    });
  }

  if (spec.ttlAttribute === undefined) return { created, ttlEnabled: false };
  if (blocking.length === problems.length) return { created, ttlEnabled: true };
  progress(`enabling TTL on ${spec.name}.${spec.ttlAttribute}`);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: spec.name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: spec.ttlAttribute },
      }),
    );
  } catch (error) {
    throw classifyDynamoError(error, { table: spec.name, operation: 'UpdateTimeToLive' });
  }
  return { created, ttlEnabled: true };
}
