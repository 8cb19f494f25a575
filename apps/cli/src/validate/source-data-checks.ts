import { itemSize, MAX_ITEM_BYTES } from '@pg2ddb/dynamo';
import { ARRAY_CHECKS, mapRow, parseColumnType, type CompiledEntity } from '@pg2ddb/mapping';
import { countMatching, duplicateGroups, quoteIdent, rowsAbove, sampleKeys, type SourceColumn, type SourceTable } from '@pg2ddb/postgres';
import type { Pool } from 'pg';
import { itemSizeEstimateSql, literalBytes, liveFamily, ownColumn, partExpressions, readColumnSql } from './source-sql';
import type { ChecklistEntry, ValidationFinding } from './validation-finding';

export interface SourceCheckOptions {
  /** Dates before this are reported (default 1900-01-01). */
  dateMin: Date;
  /** Dates after this are reported (default one year from now). */
  dateMax: Date;
  /** Rows whose SQL size estimate reaches this share of 400 KB are mapped exactly (default 0.5). */
  sizeCandidateRatio: number;
  /** At most this many candidate rows are mapped exactly (default 50). */
  sizeCandidateLimit: number;
  /** The largest Debezium event the chain carries (PG2DDB_MAX_EVENT_BYTES). */
  maxEventBytes: number;
}

// A Debezium event is the row as JSON plus its Connect schema and source block; this covers the latter.
const EVENT_OVERHEAD_BYTES = 64 * 1024;

interface Condition {
  check: string;
  severity: 'error' | 'warning';
  column?: string;
  sql: string;
  message: (rows: number) => string;
}

/**
 * The data checks of one entity against its live table, aggregated in SQL (one scan for all
 * per-row conditions, GROUP BY for duplicates, a size estimate to pick the few rows that are
 * mapped exactly with mapRow). Memory does not grow with the table.
 */
export async function sourceDataChecks(
  pool: Pool,
  entity: CompiledEntity,
  table: SourceTable,
  options: SourceCheckOptions,
): Promise<{ findings: ValidationFinding[]; checklist: ChecklistEntry[] }> {
  const live = new Map(table.columns.map((column) => [column.name, column]));
  const present = (column: string) => live.has(column);
  const sampleKeyColumns = (table.primaryKey.length > 0 ? table.primaryKey : entity.primaryKey).filter(present);
  const conditions: Condition[] = [];
  const ref = quoteIdent;

  // Item key: a NULL column or an empty rendering cannot be an item key (the change is dead-lettered).
  for (const part of entity.key) {
    for (const placeholder of part.template.placeholders) {
      const column = ownColumn(entity, placeholder.column, part);
      if (!present(column) || conditions.some((c) => c.check === 'key-null' && c.column === column)) continue;
      conditions.push({
        check: 'key-null',
        severity: 'error',
        column,
        sql: `${ref(column)} IS NULL`,
        message: (rows) => `${rows} row(s) have NULL in column ${column}, used by ${part.label} ${JSON.stringify(part.template.source)}: no item key, the change would be dead-lettered`,
      });
    }
    if (!part.template.hasLiteral && part.template.placeholders.every((p) => present(ownColumn(entity, p.column, part)))) {
      const expressions = partExpressions(entity, part, live);
      conditions.push({
        check: 'key-empty',
        severity: 'error',
        column: part.template.columns.map((c) => ownColumn(entity, c, part)).join('+'),
        sql: expressions.map((e) => `${e} = ''`).join(' AND '),
        message: (rows) => `${rows} row(s) render an empty ${part.label} ${JSON.stringify(part.template.source)} (attribute ${part.attribute.name}): DynamoDB rejects empty key values`,
      });
    }
  }
  // GSI keys: NULL or empty leaves the item out of the index (sparse) — intended sometimes, so a warning.
  for (const gsi of entity.gsis) {
    for (const part of gsi.parts) {
      const columns = part.template.columns.filter(present);
      if (columns.length === 0) continue;
      const expressions = partExpressions(entity, part, live);
      const nullSql = columns.map((c) => `${ref(c)} IS NULL`).join(' OR ');
      const emptySql = part.template.hasLiteral ? 'false' : `(${expressions.map((e) => `coalesce(${e}, 'x') = ''`).join(' AND ')})`;
      conditions.push({
        check: 'gsi-key-empty',
        severity: 'warning',
        column: columns.join('+'),
        sql: `(${nullSql}) OR ${emptySql}`,
        message: (rows) => `${rows} row(s) have NULL or empty ${columns.join('/')} for ${part.label} ${JSON.stringify(part.template.source)}: those items are left out of GSI ${gsi.name}`,
      });
    }
  }
  // Key attribute size limits: 2048 bytes for a partition key, 1024 for a sort key.
  for (const part of [...entity.key, ...entity.gsis.flatMap((gsi) => gsi.parts)]) {
    if (!part.template.placeholders.every((p) => present(ownColumn(entity, p.column, part)))) continue;
    const length = [String(literalBytes(part)), ...partExpressions(entity, part, live).map((e) => `coalesce(octet_length(${e}), 0)`)].join(' + ');
    conditions.push({
      check: 'key-too-long',
      severity: 'error',
      column: part.template.columns.map((c) => ownColumn(entity, c, part)).join('+'),
      sql: `(${length}) > ${part.maxBytes}`,
      message: (rows) => `${rows} row(s) render ${part.label} ${JSON.stringify(part.template.source)} longer than DynamoDB's ${part.maxBytes}-byte limit for ${part.attribute.name}`,
    });
  }
  // Values DynamoDB cannot hold or that are out of a sane range.
  const isoMin = options.dateMin.toISOString();
  const isoMax = options.dateMax.toISOString();
  const maxIsDay = isoMax.endsWith('T00:00:00.000Z');
  for (const column of entity.columns) {
    if (live.get(column)?.isArray && ARRAY_CHECKS.includes('array-dimensions')) {
      conditions.push({
        check: 'array-dimensions',
        severity: 'error',
        column,
        sql: `array_ndims(${ref(column)}) > 1`,
        message: (rows) =>
          `${rows} row(s) hold a multi-dimensional array in ${column}: Debezium 3.2 sends each inner array as NULL ({{1,2},{3,4}} arrives as [null,null]), so their items would not hold the row; keep such values in a one-dimensional array or a json column`,
      });
    }
    // The checks each type family asks for (type registry): dates in range, numbers DynamoDB can hold.
    const checks = liveFamily(live.get(column))?.checks ?? [];
    if (checks.includes('date-range')) {
      conditions.push({
        check: 'date-range',
        severity: 'error',
        column,
        // A --date-max given as a day includes that whole day (9999-12-31 23:59:59.999999 is valid).
        sql: `${ref(column)} < '${isoMin}'::timestamptz OR ${ref(column)} ${maxIsDay ? `>= '${isoMax}'::timestamptz + interval '1 day'` : `> '${isoMax}'::timestamptz`} OR ${ref(column)}::text IN ('infinity', '-infinity')`,
        message: (rows) => `${rows} row(s) have ${column} outside ${isoMin.slice(0, 10)} .. ${isoMax.slice(0, 10)} (set --date-min/--date-max if that is expected)`,
      });
    } else if (checks.includes('number-range')) {
      const digits = `length(trim(both '0' from replace(abs(${ref(column)}::numeric)::text, '.', '')))`;
      const policy = unrepresentablePolicy(entity, column);
      conditions.push({
        check: 'number-out-of-range',
        severity: policy.severity,
        column,
        sql: `CASE WHEN ${ref(column)}::numeric::text IN ('NaN', 'Infinity', '-Infinity') THEN true
                   ELSE ${digits} > 38 OR abs(${ref(column)}::numeric) >= 1e126 OR (${ref(column)}::numeric <> 0 AND abs(${ref(column)}::numeric) < 1e-130) END`,
        message: (rows) => `${rows} row(s) have ${column} beyond DynamoDB's numbers (over 38 significant digits, NaN/Infinity, or magnitude outside 1E-130..1E126): ${policy.outcome}`,
      });
    } else if (checks.includes('float-range')) {
      const policy = unrepresentablePolicy(entity, column);
      // A double holds magnitudes up to 1.8E308 and down to 4.9E-324; DynamoDB only 1E-130..1E126.
      conditions.push({
        check: 'number-out-of-range',
        severity: policy.severity,
        column,
        sql: `CASE WHEN ${ref(column)}::text IN ('NaN', 'Infinity', '-Infinity') THEN true
                   ELSE abs(${ref(column)}::float8) >= 1e126 OR (${ref(column)}::float8 <> 0 AND abs(${ref(column)}::float8) < 1e-130) END`,
        message: (rows) => `${rows} row(s) have ${column} beyond DynamoDB's numbers (NaN/Infinity, or magnitude outside 1E-130..1E126): ${policy.outcome}`,
      });
    }
  }

  // A row whose change event exceeds the chain's size limit never reaches pg2ddb: the connector's
  // producer refuses it, its task fails, and the whole table's stream stops until the row is fixed.
  const rowJsonBytes = `octet_length(row_to_json(${ref(entity.table)})::text)`;
  const eventLimit = Math.max(0, options.maxEventBytes - EVENT_OVERHEAD_BYTES);
  conditions.push({
    check: 'event-too-large',
    severity: 'error',
    sql: `${rowJsonBytes} > ${eventLimit}`,
    message: (rows) =>
      `${rows} row(s) are over ${eventLimit.toLocaleString('en-US')} bytes as JSON: their Debezium event would exceed PG2DDB_MAX_EVENT_BYTES (${options.maxEventBytes.toLocaleString('en-US')}), the connector task would fail and stop the whole table's stream; raise PG2DDB_MAX_EVENT_BYTES and re-apply the connector, or shrink the rows`,
  });
  conditions.push({
    check: 'event-too-large',
    severity: 'warning',
    sql: `${rowJsonBytes} <= ${eventLimit} AND 2 * ${rowJsonBytes} > ${eventLimit}`,
    message: (rows) =>
      `${rows} row(s) are over half the event limit as JSON: with REPLICA IDENTITY FULL an update carries the row twice (before and after) and would exceed PG2DDB_MAX_EVENT_BYTES (${options.maxEventBytes.toLocaleString('en-US')}), failing the connector task`,
  });

  const findings: ValidationFinding[] = [];
  const checklist: ChecklistEntry[] = [];
  const counts = await countMatching(pool, entity.schema, entity.table, Object.fromEntries(conditions.map((c, index) => [String(index), c.sql])));
  for (const [index, condition] of conditions.entries()) {
    const rows = counts[String(index)] ?? 0;
    if (rows === 0) continue;
    const sample = sampleKeyColumns.length > 0 ? await sampleKeys(pool, entity.schema, entity.table, condition.sql, sampleKeyColumns) : [];
    findings.push({ check: condition.check, severity: condition.severity, entity: entity.name, column: condition.column, rows, sampleKeys: sample, message: condition.message(rows) });
  }
  for (const [check, title] of [
    ['key-null', 'NULL in item key columns'],
    ['key-empty', 'empty item key'],
    ['gsi-key-empty', 'NULL/empty GSI key (sparse)'],
    ['key-too-long', 'key over 2048/1024 bytes'],
    ['date-range', 'dates in range'],
    ['number-out-of-range', 'numbers DynamoDB can hold'],
    ['event-too-large', 'change events within PG2DDB_MAX_EVENT_BYTES'],
    ['array-dimensions', 'one-dimensional arrays'],
  ] as const) {
    checklist.push(summarise('source', check, title, entity.name, findings, conditions.some((c) => c.check === check)));
  }

  // Duplicates: two rows with the same item key would overwrite each other in DynamoDB.
  const duplicates = await duplicateChecks(pool, entity, table, live, sampleKeyColumns);
  findings.push(...duplicates.findings);
  checklist.push(...duplicates.checklist);

  // Size: estimate in SQL, then map the candidates exactly.
  if (entity.columns.every(present)) {
    const size = await sizeCheck(pool, entity, live, sampleKeyColumns, options);
    findings.push(...size);
    checklist.push(summarise('source', 'item-too-large', 'items under 400 KB', entity.name, size.filter((f) => f.check === 'item-too-large'), true));
    checklist.push(summarise('source', 'row-unmappable', 'largest rows map cleanly', entity.name, size.filter((f) => f.check === 'row-unmappable'), true));
  }
  return { findings, checklist };
}

async function duplicateChecks(
  pool: Pool,
  entity: CompiledEntity,
  table: SourceTable,
  live: Map<string, SourceColumn>,
  sampleKeyColumns: string[],
): Promise<{ findings: ValidationFinding[]; checklist: ChecklistEntry[] }> {
  const findings: ValidationFinding[] = [];
  const checklist: ChecklistEntry[] = [];
  if (sampleKeyColumns.length === 0) return { findings, checklist };
  const unique = (columns: readonly string[]) => table.uniqueKeys.some((key) => key.every((column) => columns.includes(column)));

  // The seed's "duplicate payment ids": only possible without a primary key / unique constraint.
  if (entity.primaryKey.every((c) => live.has(c))) {
    if (unique(entity.primaryKey)) {
      checklist.push({ area: 'source', check: 'duplicate-primary-key', title: 'unique primary key', entity: entity.name, status: 'ok', detail: 'enforced by a unique constraint' });
    } else {
      const result = await duplicateGroups(pool, entity.schema, entity.table, entity.primaryKey.map(quoteIdent), sampleKeyColumns);
      if (result.groups > 0) {
        findings.push({
          check: 'duplicate-primary-key',
          severity: 'error',
          entity: entity.name,
          column: entity.primaryKey.join('+'),
          rows: result.rows,
          sampleKeys: result.sample,
          message: `${result.rows} row(s) share ${result.groups} primary key value(s) of (${entity.primaryKey.join(', ')}); no unique constraint enforces it`,
        });
      }
      checklist.push(summarise('source', 'duplicate-primary-key', 'unique primary key', entity.name, findings, true));
    }
  }

  // Item keys: rows must not collide on the rendered key (e.g. a key template without the id).
  if (entity.mode === 'item') {
    const lossless = entity.key.flatMap((part) =>
      part.template.placeholders.filter((p) => !p.formatter || p.formatter.name === 'iso' || p.formatter.name === 'pad').map((p) => ownColumn(entity, p.column, part)),
    );
    const partsPresent = entity.key.every((part) => part.template.placeholders.every((p) => live.has(ownColumn(entity, p.column, part))));
    if (unique(lossless)) {
      checklist.push({ area: 'source', check: 'duplicate-item-key', title: 'unique item keys', entity: entity.name, status: 'ok', detail: 'the key contains a unique column set' });
    } else if (partsPresent) {
      const expressions = entity.key.flatMap((part) => partExpressions(entity, part, live));
      const result = await duplicateGroups(pool, entity.schema, entity.table, expressions, sampleKeyColumns);
      const before = findings.length;
      if (result.groups > 0) {
        findings.push({
          check: 'duplicate-item-key',
          severity: 'error',
          entity: entity.name,
          column: entity.keyColumns.join('+'),
          rows: result.rows,
          sampleKeys: result.sample,
          message: `${result.rows} row(s) render only ${result.groups} distinct item key(s) (${entity.key.map((p) => `${p.label} ${JSON.stringify(p.template.source)}`).join(', ')}): they would overwrite each other in DynamoDB`,
        });
      }
      checklist.push(summarise('source', 'duplicate-item-key', 'unique item keys', entity.name, findings.slice(before), true));
    }
  }
  return { findings, checklist };
}

async function sizeCheck(
  pool: Pool,
  entity: CompiledEntity,
  live: Map<string, SourceColumn>,
  sampleKeyColumns: string[],
  options: SourceCheckOptions,
): Promise<ValidationFinding[]> {
  const findings: ValidationFinding[] = [];
  const estimate = itemSizeEstimateSql(entity, live);
  const threshold = Math.floor(MAX_ITEM_BYTES * options.sizeCandidateRatio);
  const select = [...new Set([...entity.columns, ...sampleKeyColumns])].map((column) => readColumnSql(column, live.get(column)));
  const { rows, total } = await rowsAbove(pool, entity.schema, entity.table, select, estimate, threshold, options.sizeCandidateLimit);
  // Columns declared without a type are read with their live type, as Debezium's schema would give it.
  const columnTypes: Record<string, string> = {};
  for (const column of entity.columns) {
    const info = live.get(column);
    if (entity.columnTypes.has(column) || !info) continue;
    const name = info.isEnum ? (info.isArray ? '_enum' : 'enum') : info.udtName;
    if (parseColumnType(name)) columnTypes[column] = name;
  }
  const tooLarge: Array<{ key: Record<string, string | null>; bytes: number }> = [];
  for (const row of rows) {
    const key = Object.fromEntries(sampleKeyColumns.map((column) => [column, row[column] === null || row[column] === undefined ? null : String(row[column])]));
    try {
      const mapped = mapRow(entity, row, { columnTypes });
      const bytes = mapped.kind === 'item' ? itemSize(mapped.item) : itemSize({ [mapped.attribute]: { M: { [mapped.childKey]: mapped.value } } });
      if (bytes > MAX_ITEM_BYTES) tooLarge.push({ key, bytes });
    } catch (error) {
      findings.push({
        check: 'row-unmappable',
        severity: 'error',
        entity: entity.name,
        column: (error as { details?: { column?: string } }).details?.column,
        rows: 1,
        sampleKeys: [key],
        message: `row cannot be mapped: ${(error as Error).message}`,
      });
    }
  }
  if (tooLarge.length > 0) {
    const largest = Math.max(...tooLarge.map((entry) => entry.bytes));
    findings.push({
      check: 'item-too-large',
      severity: 'error',
      entity: entity.name,
      rows: tooLarge.length,
      sampleKeys: tooLarge.slice(0, 3).map((entry) => entry.key),
      message: `${tooLarge.length} row(s) map to items over DynamoDB's 400 KB limit (largest ${largest.toLocaleString('en-US')} bytes): each of their changes reaches the transformer and is dead-lettered there (TRANSFORMER_ITEM_TOO_LARGE, with its size) while the rest of the table flows on; exclude or shorten the large columns${total > rows.length ? ` (${total} candidate rows, ${rows.length} largest checked exactly)` : ''}`,
    });
  }
  return findings;
}

function summarise(area: ChecklistEntry['area'], check: string, title: string, entity: string, findings: ValidationFinding[], ran: boolean): ChecklistEntry {
  const mine = findings.filter((f) => f.check === check && f.entity === entity);
  if (!ran) return { area, check, title, entity, status: 'skipped', detail: 'not applicable' };
  if (mine.length === 0) return { area, check, title, entity, status: 'ok', detail: '0 rows' };
  const rows = mine.reduce((sum, f) => sum + (f.rows ?? 0), 0);
  const columns = mine.map((f) => f.column).filter((column): column is string => column !== undefined);
  return { area, check, title, entity, status: mine.some((f) => f.severity === 'error') ? 'fail' : 'warn', detail: `${rows} row(s)${columns.length > 0 ? ` in ${columns.join(', ')}` : ''}` };
}

/** What the column's `unrepresentable` policy does with a number DynamoDB cannot hold. */
function unrepresentablePolicy(entity: CompiledEntity, column: string): { severity: 'error' | 'warning'; outcome: string } {
  switch (entity.unrepresentable.get(column)) {
    case 'string':
      return { severity: 'warning', outcome: 'stored as their exact text (an S attribute; the column says unrepresentable: string)' };
    case 'null':
      return { severity: 'warning', outcome: 'stored as NULL (the column says unrepresentable: null)' };
    default:
      return {
        severity: 'error',
        outcome: 'each such row is dead-lettered, never rounded (set the column\'s unrepresentable: string or null in the mapping to keep them)',
      };
  }
}
