import { readEnv, serviceEnv, sourceEnv } from '@pg2ddb/config';
import type { ReconcileMode } from '@pg2ddb/contracts';
import { migratePg2ddbSchema } from '@pg2ddb/postgres';
import { compileInverse } from '@pg2ddb/mapping';
import { reconcileItemsToRows, runReconciliation, type ReconcileReport, type WayBackReport } from '@pg2ddb/reconcile';
import { settings } from '../cli-settings';
import { jsonOption, mappingOption, numberOption, stringOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode, UsageError } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';

const MODES: readonly ReconcileMode[] = ['count', 'sample', 'full', 'recent'];

/**
 * `pg2ddb reconcile <entity> --mode …`: the reconciler's comparison run in-process, with the same
 * library code as the service (@pg2ddb/reconcile): drift events and the summary go to
 * `<prefix>.drift`, the run to pg2ddb.reconciliation_runs. Exit 1 when drift is confirmed.
 */
export const reconcileCommand: CliCommand = {
  name: 'reconcile',
  uses: ['postgres', 'kafka', 'dynamo'],
  summary: 'compare PostgreSQL and DynamoDB for an entity (count, sample, full, recent), optionally repair',
  usage: `usage: pg2ddb reconcile <entity|all> --mapping FILE [--mode count|sample|full|recent] [--sample N]
                        [--recent-column COL --window S] [--repair] [--confirm-timeout S] [--json]

Compares the entity's rows (mapped with the transformer's mapping) with its DynamoDB items:
  count    row count vs item count
  sample   N random rows (--sample, default 100) against their items
  full     every row and every item of the entity, both directions
  recent   rows whose --recent-column lies within the last --window seconds
A difference is confirmed only if it remains after the pipeline caught up past it; the rest is
reported as in flight. One drift event per confirmed item and one summary go to <prefix>.drift.
  --repair           re-sync confirmed drift through <prefix>.writes (version-guarded by the writer)
  --no-publish       do not publish drift events and the summary
  --page-size N      rows per Postgres page (default 1000); --segments N DynamoDB scan segments
                     read at once (default 8; a large table is split into ~5,000-item segments)
  --concurrency N    BatchGetItem calls in flight (default 4)
  --max-rate N       compare at most N rows/items per second (default 0: no limit)
Progress and ETA go to stderr.
  --direction ddb-to-pg  compare from DynamoDB's side (the way back, docs/rollback.md): every item
                     through the inverse mapping against its row, column by column; rows no item
                     accounts for are unexpected. Read-only: no drift events, no run history.

exit: 0 in sync, 1 drift confirmed (or in flight), 2 usage, 3 a dependency unreachable`,
  options: {
    ...mappingOption,
    ...jsonOption,
    mode: { type: 'string', default: 'sample' },
    sample: { type: 'string' },
    'recent-column': { type: 'string' },
    window: { type: 'string' },
    repair: { type: 'boolean', default: false },
    'no-publish': { type: 'boolean', default: false },
    'confirm-timeout': { type: 'string' },
    'page-size': { type: 'string' },
    segments: { type: 'string' },
    concurrency: { type: 'string' },
    direction: { type: 'string' },
    'max-rate': { type: 'string' },
  },
  async run({ values, positionals, env, print, json, emitJson }) {
    const target = positionals[0];
    if (!target) throw new UsageError('name the entity to reconcile (or "all")');
    const mode = stringOption(values, 'mode') ?? 'sample';
    if (!MODES.includes(mode as ReconcileMode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, got "${mode}"`);
    const recentColumn = stringOption(values, 'recent-column');
    if (mode === 'recent' && !recentColumn) throw new UsageError('--mode recent needs --recent-column COL');
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    if (target !== 'all' && !context.mapping.entity(target)) {
      throw new UsageError(`no entity "${target}" in ${context.mappingPath} (entities: ${context.mapping.entities.map((e) => e.name).join(', ')})`);
    }
    const direction = stringOption(values, 'direction') ?? 'pg-to-ddb';
    if (direction !== 'pg-to-ddb' && direction !== 'ddb-to-pg') throw new UsageError(`--direction must be pg-to-ddb or ddb-to-pg, got "${direction}"`);
    if (direction === 'ddb-to-pg') {
      try {
        return await reconcileWayBack(context, target, { json, emitJson, print, segments: numberOption(values, 'segments', 8, { min: 1, integer: true }) });
      } finally {
        await context.close();
      }
    }
    const progress = new ProgressLine();
    const producer = context.kafka.producer({ allowAutoTopicCreation: true });
    try {
      await migratePg2ddbSchema(context.pg, settings.postgres(env));
      await producer.connect();
      const report = await runReconciliation(
        { pg: context.pg, dynamo: context.dynamo, kafka: context.kafka, producer, mapping: context.mapping, topicPrefix: context.prefix, slot: context.slot, history: true, sourceEpoch: readEnv(sourceEnv, env).PG2DDB_SOURCE_EPOCH, redactValues: readEnv({ PG2DDB_REDACT_VALUES: serviceEnv.PG2DDB_REDACT_VALUES }, env).PG2DDB_REDACT_VALUES },
        {
          mode: mode as ReconcileMode,
          ...(target === 'all' ? {} : { entities: [target] }),
          sampleSize: numberOption(values, 'sample', 100, { min: 1, integer: true }),
          ...(recentColumn ? { recent: { column: recentColumn, windowSeconds: numberOption(values, 'window', 3600, { min: 1 }) } } : {}),
          repair: values.repair === true,
          publish: values['no-publish'] !== true,
          confirmTimeoutMs: numberOption(values, 'confirm-timeout', 60, { min: 1 }) * 1000,
          pageSize: numberOption(values, 'page-size', 1000, { min: 10, integer: true }),
          scanSegments: numberOption(values, 'segments', 8, { min: 1, integer: true }),
          concurrency: numberOption(values, 'concurrency', 4, { min: 1, integer: true }),
          maxRowsPerSecond: numberOption(values, 'max-rate', 0, { min: 0 }),
          onProgress: (p) => progress.update(p),
        },
      );
      progress.done();
      if (json) emitJson({ ok: inSync(report), ...report });
      else for (const line of verdict(report)) print(line);
      return inSync(report) ? ExitCode.Ok : ExitCode.Findings;
    } finally {
      progress.done();
      await producer.disconnect().catch(() => undefined);
      await context.close();
    }
  },
};

/** `reconcile --direction ddb-to-pg`: items → rows for every invertible entity (or the one named). */
async function reconcileWayBack(
  context: PipelineContext,
  target: string,
  out: { json: boolean; emitJson: (value: unknown) => void; print: (line: string) => void; segments: number },
): Promise<number> {
  const inverse = compileInverse(context.mapping);
  const entities = inverse.entities.filter((e) => e.entity.mode === 'item' && (target === 'all' || e.entity.name === target));
  const reports: WayBackReport[] = [];
  for (const entity of entities) {
    if (!entity.invertible) {
      if (target !== 'all') throw new UsageError(`entity ${entity.entity.name} is not invertible: ${entity.reasons.join('; ')}`);
      continue;
    }
    reports.push(await reconcileItemsToRows(context.pg, context.dynamo, entity, context.mapping.table.name, { segments: out.segments }));
  }
  const clean = reports.every((r) => r.missing + r.unexpected + r.mismatch + r.unmapped === 0);
  if (out.json) out.emitJson({ ok: clean, direction: 'ddb-to-pg', entities: reports });
  else {
    for (const r of reports) {
      out.print(`${r.entity} (ddb-to-pg): items and rows ${r.missing + r.unexpected + r.mismatch + r.unmapped === 0 ? 'match' : 'DIFFER'}: ${r.matched} of ${r.checked} items consistent`);
      out.print(`  drift: missing ${r.missing}, unexpected ${r.unexpected}, mismatch ${r.mismatch}, unmapped ${r.unmapped}`);
      for (const entry of r.samples) {
        const key = Object.values(entry.key).map((value) => Object.values(value)[0]).join(' / ');
        const detail = entry.differences ? ` (${entry.differences.map((d) => d.column).join(', ')})` : entry.reason ? ` (${entry.reason})` : '';
        out.print(`    ${entry.kind.padEnd(10)} ${key}${detail}`);
      }
    }
  }
  return clean ? ExitCode.Ok : ExitCode.Findings;
}

function inSync(report: ReconcileReport): boolean {
  return report.entities.every(({ summary: { counts }, versionsAhead }) => counts.missing + counts.unexpected + counts.mismatch + counts.inFlight + (counts.deadLettered ?? 0) + versionsAhead === 0);
}

/** The seed-style verdict: counts match, samples match, consistency rate, drift by kind. */
function verdict(report: ReconcileReport): string[] {
  const lines = [`reconciliation ${report.runId}`];
  for (const { summary, drift, repair, versionsAhead } of report.entities) {
    const { counts } = summary;
    if (versionsAhead > 0) {
      lines.push(`  ${versionsAhead} item(s) carry a version above the source's position: the source moved to a new WAL history; bump PG2DDB_SOURCE_EPOCH (docs/runbook.md), or every later change of them is refused as stale`);
    }
    const rate = `${(summary.consistencyRate * 100).toFixed(2)}%`;
    const seconds = ((summary.durationMs ?? 0) / 1000).toFixed(1);
    lines.push(`${summary.entity} (${summary.mode}, ${seconds}s)`);
    if (summary.mode === 'count') {
      lines.push(`  counts ${counts.missing + counts.unexpected === 0 ? 'match' : 'DIFFER'}: ${counts.checked} checked, ${counts.missing} missing, ${counts.unexpected} extra items`);
    } else {
      const what = summary.mode === 'sample' ? 'samples' : summary.mode === 'recent' ? 'recent rows' : 'rows and items';
      const dead = counts.deadLettered ?? 0;
      const clean = counts.missing + counts.unexpected + counts.mismatch + dead === 0;
      const onlyInDlq = dead > 0 ? `, ${dead} only in the DLQ (rows the mapping refuses: no item; \`pg2ddb dlq list\`)` : '';
      lines.push(`  ${what} ${clean ? 'match' : 'DIFFER'}: ${counts.matched ?? 0} of ${counts.checked} consistent${onlyInDlq}`);
    }
    lines.push(`  consistency rate ${rate}`);
    lines.push(`  drift: missing ${counts.missing}, unexpected ${counts.unexpected}, mismatch ${counts.mismatch}, in flight ${counts.inFlight}, dead-lettered ${counts.deadLettered ?? 0}`);
    for (const event of drift.slice(0, 20)) {
      const key = Object.values(event.key)
        .map((value) => Object.values(value)[0])
        .join(' / ');
      const attributes = event.kind === 'mismatch' ? ` (${event.attributes.map((a) => a.name).join(', ')})` : '';
      lines.push(`    ${event.kind.padEnd(10)} ${key}${attributes}`);
    }
    if (drift.length > 20) lines.push(`    … ${drift.length - 20} more on the drift topic`);
    if (repair) lines.push(`  repaired: ${repair.put} re-put, ${repair.deleted} deleted, ${repair.skipped} left to the pipeline (version ${repair.version})`);
  }
  return lines;
}

/**
 * Progress with rate and ETA on stderr: one self-overwriting line on a terminal, a plain line
 * every 5 seconds otherwise (logs of long runs).
 */
class ProgressLine {
  private readonly started = Date.now();
  private readonly tty = process.stderr.isTTY === true;
  private last = Date.now();
  private shown = false;

  update(p: { entity: string; phase: string; done: number; total?: number }): void {
    if (Date.now() - this.last < (this.tty ? 250 : 5000)) return;
    this.last = Date.now();
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? p.done / seconds : 0;
    // The table's row count is the size of either pass (one item per row when in sync).
    const counted = p.total !== undefined && (p.phase === 'rows' || p.phase === 'items');
    const eta = counted && rate > 0 ? `, ETA ${Math.max(0, Math.ceil((p.total! - p.done) / rate))}s` : '';
    const of = counted ? `/${p.total}` : '';
    const line = `${p.entity}: ${p.phase} ${p.done}${of} (${Math.round(rate)}/s${eta})`;
    process.stderr.write(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
    this.shown = this.tty;
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
