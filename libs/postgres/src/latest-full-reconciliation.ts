import type { Pool } from 'pg';

import { reconciliationRunsExist, toReconciliationRun, type ReconciliationRun } from './reconciliation-runs';

/** The latest finished full reconciliation of one entity (what cut-over is judged on). */
export type FullReconciliation = Pick<ReconciliationRun, 'entity' | 'runId' | 'status' | 'checked' | 'missing' | 'unexpected' | 'mismatch' | 'consistencyRate'> & {
  finishedAt: Date;
};

/**
 * The latest finished `full` run per entity of a deployment from `pg2ddb.reconciliation_runs`
 * (the reconciler's table). Read defensively: an absent table means "never reconciled" (empty).
 */
export async function latestFullReconciliations(pool: Pool, topicPrefix: string): Promise<FullReconciliation[]> {
  if (!(await reconciliationRunsExist(pool))) return [];
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT DISTINCT ON (entity) *
       FROM pg2ddb.reconciliation_runs
      WHERE topic_prefix = $1 AND mode = 'full' AND finished_at IS NOT NULL
      ORDER BY entity, finished_at DESC`,
    [topicPrefix],
  );
  return rows.map(toReconciliationRun).map((run) => ({
    entity: run.entity,
    runId: run.runId,
    status: run.status,
    finishedAt: run.finishedAt ?? run.startedAt,
    checked: run.checked,
    missing: run.missing,
    unexpected: run.unexpected,
    mismatch: run.mismatch,
    consistencyRate: run.consistencyRate,
  }));
}
