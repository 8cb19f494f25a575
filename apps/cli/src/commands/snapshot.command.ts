import { randomUUID } from 'node:crypto';
import { notificationTopic, watchNotifications, type DebeziumNotification } from '@pg2ddb/kafka';
import { liveColumnType, typeFamily, type CompiledEntity } from '@pg2ddb/mapping';
import { countRows, countRowsUpToKey, describeSourceTable, ensureSignalTable, insertSignal, quoteIdent } from '@pg2ddb/postgres';
import { dateOption, jsonOption, mappingOption, numberOption, stringOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode, UsageError } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { formatDuration } from '../sync-progress';

/**
 * `pg2ddb snapshot <entity>`: a resumable re-load of a table or a slice of it through Debezium's
 * incremental snapshot (execute-snapshot signal with additional-conditions). Debezium reads the
 * slice in primary-key chunks and keeps its position in the connector offsets, so a restart of
 * Connect or of the services continues from the last committed chunk instead of starting over;
 * the writer's version guard keeps a re-read row from overwriting a newer change.
 */
export const snapshotCommand: CliCommand = {
  name: 'snapshot',
  uses: ['postgres', 'kafka'],
  summary: 're-load a table or a slice (--where, --from/--to) through an incremental snapshot',
  usage: `usage: pg2ddb snapshot <entity> --mapping FILE [--where SQL] [--from DATE] [--to DATE]
                       [--date-column COL] [--no-wait] [--timeout S] [--json]

Sends Debezium an execute-snapshot signal (incremental, with additional-conditions) through the
deployment's signal table and follows its notifications until the slice is read. The snapshot
runs inside the connector: it continues if this command stops, and resumes from its last
committed chunk after a connector/Connect restart (the progress is in the connector offsets).

  <entity>            the mapped entity (its source table is snapshotted)
  --where SQL         a row filter in the table's SQL, e.g. "status = 'FAILED'"
  --from DATE         rows whose date column is >= DATE (YYYY-MM-DD or ISO timestamp)
  --to DATE           rows whose date column is <= DATE (a plain date includes that whole day)
  --date-column COL   the column --from/--to apply to; default: the entity's only date/timestamp
                      column used in its key templates (or its only date/timestamp column)
  --no-wait           send the signal and return; follow with \`pg2ddb status\`
  --timeout S         give up waiting after S seconds (exit 1; the snapshot itself goes on)
  --json              one JSON document: signal id, filter, expected rows, outcome

exit: 0 slice read, 1 failed or timed out, 2 usage (unknown entity, bad SQL/date), 3 unreachable`,
  options: {
    ...mappingOption,
    ...jsonOption,
    where: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'date-column': { type: 'string' },
    'no-wait': { type: 'boolean', default: false },
    timeout: { type: 'string' },
  },
  async run({ values, positionals, env, print, json, emitJson, progress: reporter }) {
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    try {
      const entityName = positionals[0];
      if (!entityName) throw new UsageError(`snapshot needs an entity: ${context.mapping.entities.map((e) => e.name).join(', ')}`);
      const entity = context.mapping.entity(entityName);
      if (!entity) throw new UsageError(`the mapping has no entity "${entityName}" (${context.mapping.entities.map((e) => e.name).join(', ')})`);
      const collection = `${entity.schema}.${entity.table}`;
      const from = dateOption(values, 'from');
      const to = dateOption(values, 'to');
      const toIsDay = typeof values.to === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(values.to);
      const conditions: string[] = [];
      const where = stringOption(values, 'where');
      if (where) conditions.push(`(${where})`);
      if (from || to) {
        const column = await dateColumn(context, entity, stringOption(values, 'date-column'));
        if (from) conditions.push(`${quoteIdent(column)} >= '${from.toISOString()}'`);
        if (to) conditions.push(toIsDay ? `${quoteIdent(column)} < '${new Date(to.getTime() + 86400000).toISOString()}'` : `${quoteIdent(column)} <= '${to.toISOString()}'`);
      }
      const filter = conditions.join(' AND ');
      const timeoutMs = numberOption(values, 'timeout', 0, { min: 0 }) * 1000;

      // Checks the filter's SQL before Debezium sees it, and says how many rows the slice holds.
      let expected: number;
      try {
        expected = await countRows(context.pg, entity.schema, entity.table, filter || undefined);
      } catch (error) {
        if ((error as { code?: string }).code && /^(42|22)/.test((error as { code: string }).code)) throw new UsageError(`the slice's SQL is invalid: ${(error as Error).message} (filter: ${filter})`);
        throw error;
      }
      const signalId = `pg2ddb-${entity.name}-${randomUUID()}`;
      await ensureSignalTable(context.pg, context.signalTable, context.publication);
      const data: Record<string, unknown> = { 'data-collections': [collection], type: 'incremental' };
      if (filter) data['additional-conditions'] = [{ 'data-collection': collection, filter }];

      const started = Date.now();
      let outcome = 'signalled';
      let lastKey: string | undefined;
      const result = () => ({ signalId, entity: entity.name, collection, filter, expectedRows: expected, outcome, lastProcessedKey: lastKey, elapsedMs: Date.now() - started });
      if (values['no-wait']) {
        await insertSignal(context.pg, context.signalTable, { id: signalId, type: 'execute-snapshot', data });
        if (json) emitJson(result());
        print(`snapshot ${signalId} of ${collection} signalled (${expected} row(s)${filter ? ` where ${filter}` : ''}); follow it with pg2ddb status`);
        return ExitCode.Ok;
      }
      const keyColumn = entity.primaryKey.length === 1 ? entity.primaryKey[0] : undefined;
      const progress: Array<Promise<void>> = [];
      const watcher = await watchNotifications(context.kafka, notificationTopic(context.prefix), (notification: DebeziumNotification) => {
        if (notification.id !== signalId) return false;
        if (notification.type === 'IN_PROGRESS') {
          lastKey = notification.additionalData.last_processed_key;
          if (reporter.enabled && keyColumn && lastKey) progress.push(reportProgress(context, entity, keyColumn, filter, lastKey, expected, started, (line) => reporter.step(line)));
          return false;
        }
        reporter.step(`[${formatDuration(Date.now() - started).padStart(6)}] ${notification.aggregateType} ${notification.type}${notification.additionalData.status ? ` (${notification.additionalData.status})` : ''}`);
        if (notification.type === 'COMPLETED' || notification.type === 'ABORTED') {
          outcome = notification.type.toLowerCase();
          return true;
        }
        return false;
      });
      await insertSignal(context.pg, context.signalTable, { id: signalId, type: 'execute-snapshot', data });
      print(`snapshot ${signalId}: ${collection}, ${expected.toLocaleString('en-US')} row(s)${filter ? ` where ${filter}` : ''}`);
      const timer = timeoutMs > 0 ? setTimeout(() => void watcher.stop().then(() => (outcome = outcome === 'signalled' ? 'timeout' : outcome)), timeoutMs) : undefined;
      await watcher.done;
      if (timer) clearTimeout(timer);
      await Promise.all(progress);
      if (outcome === 'signalled') outcome = 'timeout';
      if (json) emitJson(result());
      print(
        outcome === 'completed'
          ? `snapshot complete in ${formatDuration(Date.now() - started)}: ${expected.toLocaleString('en-US')} row(s) of ${collection} sent to the pipeline`
          : `snapshot ${outcome}${outcome === 'timeout' ? ' (it continues inside the connector; follow it with pg2ddb status)' : ''}`,
      );
      return outcome === 'completed' ? ExitCode.Ok : ExitCode.Findings;
    } finally {
      await context.close();
    }
  },
};

/** The column --from/--to filter on: the flag, else the one temporal column of the key templates, else the only one. */
async function dateColumn(context: PipelineContext, entity: CompiledEntity, flag: string | undefined): Promise<string> {
  const { columns } = await describeSourceTable(context.pg, entity.schema, entity.table);
  // Points in time by the type registry: date, timestamp, timestamptz.
  const temporal = columns
    .filter((column) => {
      const type = liveColumnType(column.udtName, column.isEnum, column.isArray);
      return type !== undefined && !type.array && typeFamily(type).temporal;
    })
    .map((column) => column.name);
  if (flag) {
    if (!temporal.includes(flag)) throw new UsageError(`--date-column ${flag}: ${entity.schema}.${entity.table} has no date/timestamp column of that name (${temporal.join(', ') || 'none'})`);
    return flag;
  }
  const templateColumns = new Set([...entity.key, ...entity.gsis.flatMap((gsi) => gsi.parts)].flatMap((part) => part.template.columns));
  const inTemplates = temporal.filter((column) => templateColumns.has(column) && entity.columns.includes(column));
  const candidates = inTemplates.length === 1 ? inTemplates : temporal.filter((column) => entity.columns.includes(column));
  if (candidates.length === 1) return candidates[0]!;
  throw new UsageError(`--from/--to need --date-column: ${entity.name} has ${candidates.length === 0 ? 'no' : 'several'} date/timestamp columns (${candidates.join(', ') || 'none'})`);
}

async function reportProgress(
  context: PipelineContext,
  entity: CompiledEntity,
  keyColumn: string,
  filter: string,
  lastKey: string,
  expected: number,
  started: number,
  print: (line: string) => void,
): Promise<void> {
  // Debezium reports the last key of the chunk just read, e.g. "[1234]".
  const key = lastKey.replace(/^\[|\]$/g, '');
  const done = await countRowsUpToKey(context.pg, { schema: entity.schema, table: entity.table, keyColumn }, key, filter || undefined);
  const pct = done !== undefined && expected > 0 ? ` (${((done / expected) * 100).toFixed(1)}%)` : '';
  print(`[${formatDuration(Date.now() - started).padStart(6)}] read up to ${keyColumn}=${key}${done !== undefined ? `: ${done.toLocaleString('en-US')} / ${expected.toLocaleString('en-US')} row(s)${pct}` : ''}`);
}
