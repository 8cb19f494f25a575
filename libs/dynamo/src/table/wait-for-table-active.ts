import type { DynamoDBClient, TableDescription } from '@aws-sdk/client-dynamodb';

import { describeTable } from './describe-table';
import { DynamoError, DynamoErrorCode } from '../sdk/dynamo-error';

const TRANSITIONAL = new Set(['CREATING', 'UPDATING']);

/** How long and how often to poll. */
export interface WaitOptions {
  timeoutMs: number;
  /** First poll interval; it grows ×1.5 up to 5 s. */
  pollMs?: number;
  onProgress?: (message: string) => void;
}

/**
 * Polls DescribeTable until the table and every GSI are ACTIVE, and returns that description.
 * Returns early, without waiting, on a state that will not become ACTIVE by itself (DELETING, a
 * GSI being deleted, an archived table) so the caller's validation reports it. A table not found
 * yet (just after CreateTable) is polled again. Throws the retriable TABLE_NOT_ACTIVE with the
 * last statuses when `timeoutMs` passes.
 */
export async function waitForTableActive(
  client: DynamoDBClient,
  tableName: string,
  options: WaitOptions,
): Promise<TableDescription> {
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.pollMs ?? 500;
  let lastState = 'not found';
  for (;;) {
    const table = await describeTable(client, tableName);
    if (table !== undefined) {
      const waitingFor = pendingParts(table);
      if (waitingFor === undefined) return table;
      lastState = waitingFor;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new DynamoError(DynamoErrorCode.TABLE_NOT_ACTIVE, `Table ${tableName} not ACTIVE after ${options.timeoutMs} ms: ${lastState}`, {
        retriable: true,
        details: { table: tableName, state: lastState },
      });
    }
    options.onProgress?.(`waiting for ${tableName}: ${lastState}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, left)));
    interval = Math.min(interval * 1.5, 5000);
  }
}

/** What is still transitioning, or undefined when there is nothing (more) to wait for. */
function pendingParts(table: TableDescription): string | undefined {
  const parts: string[] = [];
  const status = table.TableStatus ?? 'unknown';
  if (status !== 'ACTIVE') {
    if (!TRANSITIONAL.has(status)) return undefined;
    parts.push(`table ${status}`);
  }
  for (const index of table.GlobalSecondaryIndexes ?? []) {
    const indexStatus = index.IndexStatus ?? 'unknown';
    if (indexStatus === 'ACTIVE') continue;
    if (!TRANSITIONAL.has(indexStatus)) return undefined;
    parts.push(`GSI ${index.IndexName} ${indexStatus}${index.Backfilling ? ' (backfilling)' : ''}`);
  }
  return parts.length === 0 ? undefined : parts.join(', ');
}
