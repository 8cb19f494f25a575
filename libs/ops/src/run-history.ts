import { reconciliationRunsSince, type ReconciliationRun } from '@pg2ddb/postgres';
import type { Pool } from 'pg';

/**
 * The deployment's reconciliation runs since `since`, newest first, at most `limit`: what the
 * status page plots as drift over time (read by @pg2ddb/postgres, which owns the table).
 */
export function readRunHistory(pool: Pool, topicPrefix: string, since: Date, limit = 200): Promise<ReconciliationRun[]> {
  return reconciliationRunsSince(pool, topicPrefix, since, limit);
}
