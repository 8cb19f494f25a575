import { latestFullReconciliations, type FullReconciliation } from '@pg2ddb/postgres';

import { jsonOption, mappingOption, numberOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { textTable } from '../framework/text-table';
import { fullReconciliationCriteria } from './full-reconciliation-criteria';
import { readPipelineState, type PipelineState } from '@pg2ddb/ops';
import type { CutoverCriterion } from './cutover-check.command';
import { readWayBackState, type WayBackState } from '../direction/way-back-state';

/**
 * The rollback decision, pure, on the same evidence as cut-over seen from the other side: every
 * entity syncs ddb-to-pg, the DynamoDB source has read the stream to its end, the PostgreSQL
 * writer's lag is under the threshold, no dead letters, rows = items, and a clean, recent full
 * reconciliation per entity.
 */
export function judgeRollback(
  wayBack: WayBackState,
  state: PipelineState,
  fullRuns: FullReconciliation[],
  limits: { maxLag: number; maxReconcileAgeMs: number },
): CutoverCriterion[] {
  const criteria: CutoverCriterion[] = [];
  const directions = new Map(wayBack.directions.map((d) => [d.entity, d.direction]));
  for (const entity of state.entities) {
    const direction = directions.get(entity.entity) ?? 'pg-to-ddb';
    criteria.push({ criterion: 'way back running', entity: entity.entity, ok: direction === 'ddb-to-pg', detail: `direction ${direction}` });
  }
  criteria.push({
    criterion: 'stream read to its end',
    ok: wayBack.sourceStarted && wayBack.streamCaughtUp === true,
    detail: !wayBack.streamArn ? 'the table has no stream' : !wayBack.sourceStarted ? 'the DynamoDB source never started' : wayBack.streamCaughtUp ? 'nothing beyond the checkpoints' : 'records beyond the checkpoints',
  });
  criteria.push({
    criterion: 'lag under threshold',
    ok: wayBack.pgWriterLag >= 0 && wayBack.pgWriterLag <= limits.maxLag,
    detail: wayBack.pgWriterLag < 0 ? 'lag unknown' : `pg-writer ${wayBack.pgWriterLag} message(s) behind (max ${limits.maxLag})`,
  });
  criteria.push({ criterion: 'DLQ empty', ok: wayBack.deadLetters === 0, detail: wayBack.deadLetters < 0 ? 'unknown' : `${wayBack.deadLetters} dead letter(s) awaiting replay` });
  for (const entity of state.entities) {
    criteria.push({ criterion: 'rows = items', entity: entity.entity, ok: entity.rows >= 0 && entity.rows === entity.items, detail: `${entity.rows} rows / ${entity.items} items` });
  }
  criteria.push(...fullReconciliationCriteria(state.entities, fullRuns, state.at, limits.maxReconcileAgeMs));
  return criteria;
}

/** `pg2ddb rollback-check`: go/no-go for rolling back to PostgreSQL; exits 1 with the reasons when not ready. */
export const rollbackCheckCommand: CliCommand = {
  name: 'rollback-check',
  summary: 'go/no-go for rollback: way back running and drained, DLQ empty, rows = items, last full reconciliation clean',
  usage: `usage: pg2ddb rollback-check --mapping FILE [--max-lag N] [--max-reconcile-age MIN] [--json]

GO only when all of these hold (docs/rollback.md):
  way back running             per entity, direction ddb-to-pg (pg2ddb direction status)
  stream read to its end       the DynamoDB source has nothing left in the table's stream
  lag under threshold          the PostgreSQL writer's consumer lag <= --max-lag (default 100)
  DLQ empty                    no dead letters on <prefix>.dlq
  rows = items                 per entity, rows in PostgreSQL = items in DynamoDB
  full reconciliation clean    as for cutover-check (pg2ddb reconcile --mode full)

exit: 0 GO, 1 NO-GO (the failing criteria are listed), 2 usage, 3 a dependency unreachable`,
  options: { ...mappingOption, ...jsonOption, 'max-lag': { type: 'string' }, 'max-reconcile-age': { type: 'string' } },
  async run({ values, env, print, json, emitJson }) {
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    const limits = {
      maxLag: numberOption(values, 'max-lag', 100, { min: 0, integer: true }),
      maxReconcileAgeMs: numberOption(values, 'max-reconcile-age', 1440, { min: 0 }) * 60000,
    };
    try {
      const wayBack = await readWayBackState(context);
      const [state, fullRuns] = await Promise.all([readPipelineState(context), latestFullReconciliations(context.pg, context.prefix)]);
      const criteria = judgeRollback(wayBack, state, fullRuns, limits);
      const go = criteria.every((criterion) => criterion.ok);
      const errors = [...wayBack.errors, ...state.errors.filter((e) => !e.startsWith('connector') && !e.startsWith('transformer lag'))];
      if (json) {
        emitJson({ go, exitCode: go ? 0 : 1, criteria, reasons: criteria.filter((c) => !c.ok).map((c) => `${c.criterion}${c.entity ? ` (${c.entity})` : ''}: ${c.detail}`), errors });
      } else {
        print(`pg2ddb rollback-check — ${context.mappingPath}, prefix ${context.prefix}`);
        for (const line of textTable([['', 'criterion', 'entity', 'detail'], ...criteria.map((c) => [c.ok ? '[ok]  ' : '[FAIL]', c.criterion, c.entity ?? '-', c.detail])])) print(`  ${line}`);
        for (const error of errors) print(`  ! ${error}`);
        print(go ? '✅ GO: ready to roll back to PostgreSQL' : `❌ NO-GO: ${criteria.filter((c) => !c.ok).map((c) => `${c.criterion}${c.entity ? ` (${c.entity})` : ''}`).join('; ')}`);
      }
      return go ? ExitCode.Ok : ExitCode.Findings;
    } finally {
      await context.close();
    }
  },
};
