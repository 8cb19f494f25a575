import type { DriftSummary } from '@pg2ddb/contracts';

/**
 * A count-level reconciliation result for one entity: how many items are missing or extra
 * compared with the source rows. It cannot see mismatched attributes (that is the full mode).
 */
export function countSummary(input: {
  runId: string;
  table: string;
  entity: string;
  rows: number;
  items: number;
  startedAt: Date;
  finishedAt: Date;
}): DriftSummary {
  const missing = Math.max(0, input.rows - input.items);
  const unexpected = Math.max(0, input.items - input.rows);
  const checked = Math.max(input.rows, input.items);
  return {
    v: 1,
    type: 'summary',
    runId: input.runId,
    mode: 'count',
    table: input.table,
    entity: input.entity,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    counts: { checked, matched: checked - missing - unexpected, missing, unexpected, mismatch: 0, inFlight: 0 },
    consistencyRate: checked === 0 ? 1 : (checked - missing - unexpected) / checked,
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
  };
}
