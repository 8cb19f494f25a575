import type { Pool } from 'pg';

/** One entity's reconciliation run, as kept in `pg2ddb.reconciliation_runs`. */
export interface ReconciliationRun {
  runId: string;
  topicPrefix: string;
  tableName: string;
  entity: string;
  mode: 'count' | 'sample' | 'full' | 'recent';
  startedAt: Date;
  finishedAt: Date | null;
  checked: number;
  matched: number;
  missing: number;
  unexpected: number;
  mismatch: number;
  inFlight: number;
  /** matched / checked (null while running). */
  consistencyRate: number | null;
  repaired: number;
  status: 'running' | 'succeeded' | 'failed';
  error: string | null;
}

/** Records that a run of one entity started (status `running`). */
export async function recordRunStarted(pool: Pool, run: Pick<ReconciliationRun, 'runId' | 'topicPrefix' | 'tableName' | 'entity' | 'mode' | 'startedAt'>): Promise<void> {
  await pool.query(
    `INSERT INTO pg2ddb.reconciliation_runs (run_id, topic_prefix, table_name, entity, mode, started_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, 'running')`,
    [run.runId, run.topicPrefix, run.tableName, run.entity, run.mode, run.startedAt],
  );
}

/** Records how a run of one entity ended (counts, rate, status). */
export async function recordRunFinished(
  pool: Pool,
  run: Pick<ReconciliationRun, 'runId' | 'entity' | 'finishedAt' | 'checked' | 'matched' | 'missing' | 'unexpected' | 'mismatch' | 'inFlight' | 'consistencyRate' | 'repaired' | 'status' | 'error'>,
): Promise<void> {
  await pool.query(
    `UPDATE pg2ddb.reconciliation_runs
        SET finished_at = $3, checked = $4, matched = $5, missing = $6, unexpected = $7, mismatch = $8,
            in_flight = $9, consistency_rate = $10, repaired = $11, status = $12, error = $13
      WHERE run_id = $1 AND entity = $2`,
    [run.runId, run.entity, run.finishedAt, run.checked, run.matched, run.missing, run.unexpected, run.mismatch, run.inFlight, run.consistencyRate, run.repaired, run.status, run.error],
  );
}

/** False before the reconciler's first migration: there is no run history to read yet. */
export async function reconciliationRunsExist(pool: Pool): Promise<boolean> {
  const exists = await pool.query<{ present: boolean }>(`SELECT to_regclass('pg2ddb.reconciliation_runs') IS NOT NULL AS present`);
  return exists.rows[0]?.present === true;
}

/**
 * The latest run per entity of one deployment (topic prefix), newest first per entity; what
 * `status` and `cutover-check` show. Empty when the schema was never migrated.
 */
export async function latestReconciliationRuns(pool: Pool, topicPrefix: string): Promise<ReconciliationRun[]> {
  if (!(await reconciliationRunsExist(pool))) return [];
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT DISTINCT ON (entity) *
       FROM pg2ddb.reconciliation_runs
      WHERE topic_prefix = $1
      ORDER BY entity, started_at DESC`,
    [topicPrefix],
  );
  return rows.map(toReconciliationRun);
}

/**
 * The runs of one deployment since `since`, newest first, at most `limit`: what the status page
 * plots as drift over time. Empty when the schema was never migrated.
 */
export async function reconciliationRunsSince(pool: Pool, topicPrefix: string, since: Date, limit = 200): Promise<ReconciliationRun[]> {
  if (!(await reconciliationRunsExist(pool))) return [];
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM pg2ddb.reconciliation_runs WHERE topic_prefix = $1 AND started_at >= $2 ORDER BY started_at DESC LIMIT $3`,
    [topicPrefix, since, limit],
  );
  return rows.map(toReconciliationRun);
}

/**
 * One row of pg2ddb.reconciliation_runs (as node-postgres returns it: bigint counts as strings) as
 * a ReconciliationRun: the one mapper of that table, used by every reader of it.
 */
export function toReconciliationRun(row: Record<string, unknown>): ReconciliationRun {
  return {
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
  };
}
