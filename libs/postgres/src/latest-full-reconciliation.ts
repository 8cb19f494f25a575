import type { Pool } from 'pg';

import { reconciliationRunsExist } from './reconciliation-runs';

/** The latest finished full reconciliation of one entity (what cut-over is judged on). */
export interface FullReconciliation {
  entity: string;
  runId: string;
  status: string;
  finishedAt: Date;
  checked: number;
  missing: number;
  unexpected: number;
  mismatch: number;
  consistencyRate: number | null;
}

/**
 * The latest finished `full` run per entity of a deployment from `pg2ddb.reconciliation_runs`
 * (the reconciler's table). Read defensively: an absent table means "never reconciled" (empty).
 */
export async function latestFullReconciliations(pool: Pool, topicPrefix: string): Promise<FullReconciliation[]> {
  if (!(await reconciliationRunsExist(pool))) return [];
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT DISTINCT ON (entity) entity, run_id::text AS run_id, status, finished_at, checked, missing, unexpected, mismatch, consistency_rate
       FROM pg2ddb.reconciliation_runs
      WHERE topic_prefix = $1 AND mode = 'full' AND finished_at IS NOT NULL
      ORDER BY entity, finished_at DESC`,
    [topicPrefix],
  );
  return rows.map((row) => ({
    entity: String(row.entity),
    runId: String(row.run_id),
    status: String(row.status),
    finishedAt: row.finished_at as Date,
    checked: Number(row.checked),
    missing: Number(row.missing),
    unexpected: Number(row.unexpected),
    mismatch: Number(row.mismatch),
    consistencyRate: row.consistency_rate === null ? null : Number(row.consistency_rate),
  }));
}
