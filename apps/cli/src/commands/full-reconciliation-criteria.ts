import type { FullReconciliation } from '@pg2ddb/postgres';
import type { CutoverCriterion } from './cutover-check.command';

/**
 * Per entity, "full reconciliation clean": its latest full run succeeded, found no drift and ended
 * at most `maxAgeMs` before `at`. The last criterion of both cut-over and rollback.
 */
export function fullReconciliationCriteria(entities: ReadonlyArray<{ entity: string }>, fullRuns: FullReconciliation[], at: number, maxAgeMs: number): CutoverCriterion[] {
  return entities.map(({ entity }) => {
    const run = fullRuns.find((candidate) => candidate.entity === entity);
    if (!run) return { criterion: 'full reconciliation clean', entity, ok: false, detail: 'never fully reconciled (pg2ddb reconcile --mode full)' };
    const age = at - new Date(run.finishedAt).getTime();
    const drift = run.missing + run.unexpected + run.mismatch;
    return {
      criterion: 'full reconciliation clean',
      entity,
      ok: run.status === 'succeeded' && drift === 0 && age <= maxAgeMs,
      detail: `run ${run.runId.slice(0, 8)} ${run.status}, ${run.checked} checked, missing ${run.missing}, unexpected ${run.unexpected}, mismatch ${run.mismatch}, ${Math.round(age / 60000)} min ago${age > maxAgeMs ? ' (too old)' : ''}`,
    };
  });
}
