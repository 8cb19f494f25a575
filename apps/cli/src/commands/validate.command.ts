import { readEnv, topicsEnv } from '@pg2ddb/config';
import { compileInverse } from '@pg2ddb/mapping';
import { describeSourceTable } from '@pg2ddb/postgres';
import { errorMessage } from '@pg2ddb/errors';
import { dateOption, jsonOption, mappingOption, numberOption } from '../framework/cli-args';
import type { CliCommand } from '../framework/cli-command';
import { ExitCode, isUnreachable, UsageError } from '../framework/exit-codes';
import { PipelineContext } from '../framework/pipeline-context';
import { textTable } from '../framework/text-table';
import { dynamoChecks, messagingChecks, replicationChecks, unreachable, type InfraResult } from '../validate/infra-checks';
import { schemaChecks } from '../validate/schema-checks';
import { sourceDataChecks } from '../validate/source-data-checks';
import { formatKey, type ChecklistEntry, type ValidationFinding } from '../validate/validation-finding';

const MARK: Record<ChecklistEntry['status'], string> = { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]', unreachable: '[DOWN]', skipped: '[--]  ' };

/**
 * `pg2ddb validate`: the seed's `--validate-only`, for a continuous pipeline. The mapping file,
 * then per entity the live schema and the source data, the DynamoDB table, logical replication,
 * Kafka and Connect. `--mapping-only` checks just the file (no connections).
 */
export const validateCommand: CliCommand = {
  name: 'validate',
  uses: (values) => (values['mapping-only'] === true ? [] : ['postgres', 'kafka', 'connect', 'dynamo']),
  summary: 'check the mapping, source data, DynamoDB table, replication, Kafka and Connect before a migration',
  usage: `usage: pg2ddb validate --mapping FILE [options]

Checks, per mapped entity, everything that would make a migration fail or lose data, and prints a
checklist and every finding with its entity, column, affected row count and sample keys:
  source data   NULL / empty / over-long item keys, NULL or empty GSI keys (sparse), duplicate
                primary keys and item keys, dates outside --date-min..--date-max, numbers DynamoDB
                cannot hold (>38 digits, NaN, Infinity), items over 400 KB (SQL estimate, then the
                largest rows mapped exactly with the mapping library)
  schema        the table and mapped columns exist, their types are supported, primary key matches
  replication   wal_level=logical, slot, publication, REPLICA IDENTITY where keys or TOAST need it
  DynamoDB      the table and every GSI ACTIVE with the mapped key schema and projection
  Kafka/Connect reachable, Debezium PostgreSQL plugin installed
All source checks aggregate in SQL: nothing proportional to the table is loaded into memory.

options:
  --mapping FILE          the mapping file (required)
  --mapping-only          only check the mapping file itself (no connections)
  --entity NAME           only this entity's source checks
  --date-min DATE         earliest sane date (default 1900-01-01)
  --date-max DATE         latest sane date (default one year from today)
  --size-candidates N     largest rows mapped exactly for the 400 KB check (default 50)
  --strict                warnings fail too (exit 1)
  --json                  one JSON document: {ok, checklist, findings}

exit: 0 no errors, 1 errors found (or warnings with --strict), 2 usage, 3 a dependency unreachable`,
  options: {
    ...mappingOption,
    ...jsonOption,
    'mapping-only': { type: 'boolean', default: false },
    entity: { type: 'string' },
    'date-min': { type: 'string' },
    'date-max': { type: 'string' },
    'size-candidates': { type: 'string' },
    strict: { type: 'boolean', default: false },
  },
  async run({ values, env, print, json, emitJson, style }) {
    const context = PipelineContext.open(values.mapping as string | undefined, env);
    const { mapping } = context;
    if (values['mapping-only']) {
      const inverse = compileInverse(mapping);
      const entities = mapping.entities.map((e) => {
        const back = inverse.entity(e.name)!;
        return { name: e.name, source: `${e.schema}.${e.table}`, mode: e.mode, keyColumns: e.keyColumns, wayBack: { invertible: back.invertible, reasons: back.reasons, warnings: back.warnings } };
      });
      if (json) emitJson({ ok: true, mapping: context.mappingPath, table: mapping.table, entities });
      print(`${context.mappingPath}: OK`);
      print(`table ${mapping.table.name}: ${mapping.table.partitionKey.name}${mapping.table.sortKey ? ` + ${mapping.table.sortKey.name}` : ''}, ${mapping.table.gsis.length} GSI(s)${mapping.table.ttlAttribute ? `, TTL on ${mapping.table.ttlAttribute}` : ''}`);
      for (const entity of entities) print(`  ${entity.name} <- ${entity.source} (${entity.mode}, key columns: ${entity.keyColumns.join(', ')})`);
      // The way back (DynamoDB → PostgreSQL, docs/rollback.md): which entities an item can become a row of.
      print('way back (item → row):');
      for (const entity of entities) {
        print(`  ${entity.name}: ${entity.wayBack.invertible ? 'invertible' : `NOT invertible: ${entity.wayBack.reasons.join('; ')}`}`);
        for (const warning of entity.wayBack.warnings) print(`    note: ${warning}`);
      }
      return ExitCode.Ok;
    }
    const now = new Date();
    const options = {
      dateMin: dateOption(values, 'date-min') ?? new Date('1900-01-01T00:00:00Z'),
      dateMax: dateOption(values, 'date-max') ?? new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate())),
      sizeCandidateRatio: 0.5,
      sizeCandidateLimit: numberOption(values, 'size-candidates', 50, { min: 1, max: 10000, integer: true }),
      maxEventBytes: readEnv({ PG2DDB_MAX_EVENT_BYTES: topicsEnv.PG2DDB_MAX_EVENT_BYTES }, env).PG2DDB_MAX_EVENT_BYTES,
    };
    const only = values.entity as string | undefined;
    if (only && !mapping.entity(only)) throw new UsageError(`--entity ${only}: the mapping has no such entity (${mapping.entities.map((e) => e.name).join(', ')})`);
    print(`pg2ddb validate — ${context.mappingPath} → table ${mapping.table.name}, prefix ${context.prefix}`);

    const findings: ValidationFinding[] = [];
    const checklist: ChecklistEntry[] = [];
    const add = (result: InfraResult) => {
      findings.push(...result.findings);
      checklist.push(...result.checklist);
    };
    try {
      let pgReachable = true;
      for (const entity of mapping.entities.filter((e) => !only || e.name === only)) {
        try {
          const table = await describeSourceTable(context.pg, entity.schema, entity.table);
          const schema = schemaChecks(entity, table);
          add(schema);
          if (table.exists) add(await sourceDataChecks(context.pg, entity, table, options));
        } catch (error) {
          if (!isUnreachable(error)) throw error;
          add(unreachable('source', 'postgres', 'PostgreSQL reachable', `PostgreSQL: ${errorMessage(error)}`, error));
          pgReachable = false;
          break;
        }
      }
      if (pgReachable) add(await replicationChecks(context.pg, mapping, context.slot, context.publication, context.signalTable));
      add(await dynamoChecks(context.dynamo, mapping));
      add(await messagingChecks(context.kafka, context.connectUrl));
    } finally {
      await context.close();
    }

    const errors = findings.filter((f) => f.severity === 'error');
    const warnings = findings.filter((f) => f.severity === 'warning');
    const down = findings.some((f) => f.check === 'unreachable');
    const code = down ? ExitCode.Unreachable : errors.length > 0 || (values.strict && warnings.length > 0) ? ExitCode.Findings : ExitCode.Ok;
    if (json) {
      emitJson({ ok: code === ExitCode.Ok, exitCode: code, mapping: context.mappingPath, table: mapping.table.name, checklist, findings });
      return code;
    }
    print('');
    print('checklist');
    for (const line of textTable([
      ['', 'area', 'entity', 'check', 'result'],
      ...checklist.map((entry) => [MARK[entry.status], entry.area, entry.entity ?? '-', entry.title, entry.detail]),
    ])) {
      print(`  ${line}`);
    }
    if (findings.length > 0) {
      print('');
      print(`findings (${errors.length} error(s), ${warnings.length} warning(s))`);
      for (const finding of [...errors, ...warnings]) {
        const where = [finding.entity, finding.column].filter(Boolean).join('.') || '-';
        const sample = finding.sampleKeys && finding.sampleKeys.length > 0 ? `; e.g. ${finding.sampleKeys.map(formatKey).join(' ')}` : '';
        print(`  ${finding.severity === 'error' ? 'ERROR' : 'WARN '} ${finding.check.padEnd(22)} ${where}: ${finding.message}${sample}`);
      }
    }
    print('');
    print(code === ExitCode.Ok ? `${style.mark(true)}ready: no errors${warnings.length > 0 ? ` (${warnings.length} warning(s))` : ''}` : down ? `${style.mark(false)}a dependency is unreachable` : `${style.mark(false)}not ready: ${errors.length} error(s)${values.strict ? `, ${warnings.length} warning(s) (--strict)` : ''}`);
    return code;
  },
};
