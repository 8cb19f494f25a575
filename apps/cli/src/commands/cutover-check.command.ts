import { latestFullReconciliations, replicationReadiness, type FullReconciliation } from '@pg2ddb/postgres';
import { jsonOption, mappingOption, numberOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { textTable } from '../framework/text-table';
import { fullReconciliationCriteria } from './full-reconciliation-criteria';
import { readPipelineState, type PipelineState } from '@pg2ddb/ops';
import { walKeepSizeAdvice } from '../validate/wal-keep-size';

/** One go/no-go criterion and whether it holds. */
export interface CutoverCriterion {
  criterion: string;
  entity?: string;
  ok: boolean;
  detail: string;
}

/**
 * The cut-over decision, pure: connector RUNNING, every entity fully loaded (items = rows),
 * lag under the threshold, no dead letters, and a clean, recent full reconciliation per entity.
 */
export function judgeCutover(
  state: PipelineState,
  fullRuns: FullReconciliation[],
  limits: { maxLag: number; maxReconcileAgeMs: number },
): CutoverCriterion[] {
  const criteria: CutoverCriterion[] = [];
  const running = state.connector.state === 'RUNNING' && state.connector.tasks.length > 0 && state.connector.tasks.every((t) => t === 'RUNNING');
  criteria.push({ criterion: 'connector running', ok: running, detail: `${state.connector.name}: ${state.connector.state}${state.connector.tasks.length ? ` (${state.connector.tasks.join(', ')})` : ''}` });
  for (const entity of state.entities) {
    criteria.push({
      criterion: 'initial load complete',
      entity: entity.entity,
      ok: entity.rows >= 0 && entity.items === entity.rows,
      detail: `${entity.items.toLocaleString('en-US')} items / ${entity.rows.toLocaleString('en-US')} rows`,
    });
  }
  const lag = state.entities.reduce((sum, entity) => sum + Math.max(0, entity.transformerLag), 0) + Math.max(0, state.writerLag);
  const lagKnown = state.writerLag >= 0 && state.entities.every((entity) => entity.transformerLag >= 0);
  criteria.push({ criterion: 'lag under threshold', ok: lagKnown && lag <= limits.maxLag, detail: lagKnown ? `${lag} message(s) behind (max ${limits.maxLag})` : 'lag unknown' });
  criteria.push({ criterion: 'DLQ empty', ok: state.deadLetters === 0, detail: state.deadLetters < 0 ? 'unknown' : `${state.deadLetters} dead letter(s) awaiting replay${state.deadLetters > 0 ? " ('pg2ddb dlq list')" : ''}` });
  criteria.push(...fullReconciliationCriteria(state.entities, fullRuns, state.at, limits.maxReconcileAgeMs));
  return criteria;
}

/** `pg2ddb cutover-check`: the seeds' go/no-go report; exits 1 with the reasons when not ready. */
export const cutoverCheckCommand: CliCommand = {
  name: 'cutover-check',
  uses: ['connect', 'postgres', 'kafka', 'dynamo'],
  summary: 'go/no-go for cut-over: load complete, lag low, DLQ empty, last full reconciliation clean',
  usage: `usage: pg2ddb cutover-check --mapping FILE [--max-lag N] [--max-reconcile-age MIN] [--json]

GO only when all of these hold:
  connector running            the connector and its task are RUNNING
  initial load complete        per entity, items in DynamoDB = rows in PostgreSQL
  lag under threshold          transformer + writer consumer lag <= --max-lag (default 100)
  DLQ empty                    no dead letters on <prefix>.dlq
  full reconciliation clean    per entity, the latest finished full run (pg2ddb.reconciliation_runs)
                               succeeded with 0 missing / unexpected / mismatched items and finished
                               within --max-reconcile-age minutes (default 1440)
Warnings (not criteria): max_slot_wal_keep_size unlimited, or the slot near, past or invalidated by it.

exit: 0 GO, 1 NO-GO (the failing criteria are listed), 2 usage, 3 a dependency unreachable`,
  options: { ...mappingOption, ...jsonOption, 'max-lag': { type: 'string' }, 'max-reconcile-age': { type: 'string' } },
  async run({ values, env, print, json, emitJson, style }) {
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    const limits = {
      maxLag: numberOption(values, 'max-lag', 100, { min: 0, integer: true }),
      maxReconcileAgeMs: numberOption(values, 'max-reconcile-age', 1440, { min: 0 }) * 60000,
    };
    try {
      const [state, fullRuns, replication] = await Promise.all([
        readPipelineState(context),
        latestFullReconciliations(context.pg, context.prefix),
        replicationReadiness(context.pg, context.slot, context.publication),
      ]);
      const criteria = judgeCutover(state, fullRuns, limits);
      const go = criteria.every((criterion) => criterion.ok);
      // Not a go/no-go criterion: after cut-over the slot keeps serving the way back and drift checks.
      const warnings = walKeepSizeAdvice(replication, context.slot).findings.map((finding) => finding.message);
      if (json) {
        emitJson({ go, exitCode: go ? 0 : 1, criteria, reasons: criteria.filter((c) => !c.ok).map((c) => `${c.criterion}${c.entity ? ` (${c.entity})` : ''}: ${c.detail}`), warnings, errors: state.errors });
      } else {
        print(`pg2ddb cutover-check — ${context.mappingPath}, prefix ${context.prefix}`);
        for (const line of textTable([['', 'criterion', 'entity', 'detail'], ...criteria.map((c) => [c.ok ? '[ok]  ' : '[FAIL]', c.criterion, c.entity ?? '-', c.detail])])) print(`  ${line}`);
        for (const warning of warnings) print(`  warning: ${warning}`);
        for (const error of state.errors) print(`  ! ${error}`);
        print(go ? `${style.mark(true)}GO: ready for cut-over` : `${style.mark(false)}NO-GO: ${criteria.filter((c) => !c.ok).map((c) => `${c.criterion}${c.entity ? ` (${c.entity})` : ''}`).join('; ')}`);
      }
      return go ? ExitCode.Ok : ExitCode.Findings;
    } finally {
      await context.close();
    }
  },
};
