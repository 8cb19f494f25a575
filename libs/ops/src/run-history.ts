import type { ReconciliationRun } from '@pg2ddb/postgres';
import type { Pool } from 'pg';

/**
 * The deployment's reconciliation runs since `since`, newest first, at most `limit`: what the
 * status page plots as drift over time. Reads pg2ddb.reconciliation_runs as the cli does; the
 * one place to swap for the TypeORM run history once @pg2ddb/postgres exports it.
 */
export async function readRunHistory(pool: Pool, topicPrefix: string, since: Date, limit = 200): Promise<ReconciliationRun[]> {
  const exists = await pool.query<{ present: boolean }>(`SELECT to_regclass('pg2ddb.reconciliation_runs') IS NOT NULL AS present`);
  if (exists.rows[0]?.present !== true) return [];
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM pg2ddb.reconciliation_runs WHERE topic_prefix = $1 AND started_at >= $2 ORDER BY started_at DESC LIMIT $3`,
    [topicPrefix, since, limit],
  );
  return rows.map((row) => ({
    runId: String(row.run_id),
    topicPrefix: String(row.topic_prefix),
    tableName: String(row.table_name),
    entity: String(row.entity),
    mode: row.mode as ReconciliationRun['mode'],
    startedAt: row.started_at as Date,
    finishedAt: (row.finished_at as Date | null) ?? null,
    checked: Number(row.checked),
    matched: Number(row.matched),
    missing: Number(row.missing),
    unexpected: Number(row.unexpected),
    mismatch: Number(row.mismatch),
    inFlight: Number(row.in_flight),
    consistencyRate: row.consistency_rate === null ? null : Number(row.consistency_rate),
    repaired: Number(row.repaired),
    status: row.status as ReconciliationRun['status'],
    error: (row.error as string | null) ?? null,
  }));
}
