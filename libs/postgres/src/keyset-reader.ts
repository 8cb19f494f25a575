import { selectColumnSql } from '@pg2ddb/mapping';
import type { Pool, PoolClient, QueryConfig } from 'pg';

import { quoteIdent } from './pg-pool';

/** One source table as the reconciler reads it. */
export interface KeysetSource {
  schema: string;
  table: string;
  /** Columns to select (the mapping's declared columns). */
  columns: readonly string[];
  /** Primary key columns, in key order: the keyset. */
  primaryKey: readonly string[];
  /** Column → Postgres type name (`udt_name`, e.g. `int4`, `timestamptz`, `_text`), see `sourceColumnTypes`. */
  types: ReadonlyMap<string, string>;
}

/** A row as the reader returns it: every value as Postgres's text output (or null). */
export type RawRow = Record<string, string | null>;

/**
 * Every value comes back as Postgres's own text, never through a JS Date or float: that is the
 * exact input `mapRow` wants (numeric digits, microsecond timestamps, `\x` bytea, array literals).
 */
const RAW_TEXT: QueryConfig['types'] = { getTypeParser: () => (value: string) => value } as unknown as QueryConfig['types'];

/** Column → type name (`udt_name`) of a table, from information_schema; throws when the table is absent. */
export async function sourceColumnTypes(pool: Pool, schema: string, table: string): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ column_name: string; udt_name: string }>(
    'SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
    [schema, table],
  );
  if (rows.length === 0) throw new Error(`table ${schema}.${table} does not exist or has no columns visible to this user`);
  return new Map(rows.map((row) => [row.column_name, row.udt_name]));
}

/**
 * Reads a table in primary-key order, one page at a time (`WHERE (pk) > (last) ORDER BY pk LIMIT n`),
 * so memory stays bounded by the page size and every page uses the primary key index. Rows
 * committed while the reader runs may or may not be seen; the reconciler's confirmation step
 * absorbs that. `where` narrows the rows (e.g. the recent window); its parameters start at `$1`.
 */
export async function* readKeysetPages(
  pool: Pool,
  source: KeysetSource,
  options: { pageSize?: number; where?: { sql: string; params: unknown[] } } = {},
): AsyncGenerator<RawRow[]> {
  const pageSize = options.pageSize ?? 1000;
  const pk = source.primaryKey.map(quoteIdent).join(', ');
  let last: RawRow | undefined;
  for (;;) {
    const params: unknown[] = [...(options.where?.params ?? [])];
    const conditions: string[] = options.where ? [`(${options.where.sql})`] : [];
    if (last) {
      const placeholders = source.primaryKey.map((column) => {
        params.push(last![column]);
        return `$${params.length}::${castType(source, column)}`;
      });
      conditions.push(`(${pk}) > (${placeholders.join(', ')})`);
    }
    params.push(pageSize);
    const sql = `SELECT ${selectList(source)} FROM ${tableName(source)}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${pk} LIMIT $${params.length}`;
    const rows = await rawQuery(pool, sql, params);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    last = rows[rows.length - 1];
  }
}

/** The column `readRowsByKeys` adds with `withXmin`: the row version's inserting transaction id. */
export const XMIN_COLUMN = '__pg2ddb_xmin';

/**
 * Reads the rows with these primary keys (values as text, e.g. taken from items or earlier reads).
 * `withXmin` adds the row version's `xmin` (as XMIN_COLUMN): any update, or a delete and re-insert,
 * gives the row a new one, so two reads with the same xmin saw the same row version.
 */
export async function readRowsByKeys(
  pool: Pool | PoolClient,
  source: KeysetSource,
  keys: ReadonlyArray<Record<string, string>>,
  lock?: 'FOR SHARE' | 'FOR UPDATE',
  options: { withXmin?: boolean } = {},
): Promise<RawRow[]> {
  if (keys.length === 0) return [];
  const params = source.primaryKey.map((column) => keys.map((key) => key[column] ?? null));
  const unnest = source.primaryKey.map((column, index) => `$${index + 1}::${castType(source, column)}[]`).join(', ');
  const pk = source.primaryKey.map(quoteIdent).join(', ');
  const xmin = options.withXmin ? `, xmin::text AS ${quoteIdent(XMIN_COLUMN)}` : '';
  const sql = `SELECT ${selectList(source)}${xmin} FROM ${tableName(source)} WHERE (${pk}) IN (SELECT * FROM unnest(${unnest}))${lock ? ` ${lock}` : ''}`;
  return rawQuery(pool, sql, params);
}

/**
 * About `count` rows picked at random without reading or sorting the whole table: `TABLESAMPLE
 * SYSTEM` (random pages) on a large table, `BERNOULLI` (random rows) on a middling one, sized from
 * the planner's row estimate with a margin, then `LIMIT count`. `ORDER BY random()`, which reads
 * and sorts every row, is kept only where that is cheap or unavoidable: a table under 300 × count
 * rows, or one never analysed (no estimate). It used to run on every table, every minute.
 */
export async function sampleRows(pool: Pool, source: KeysetSource, count: number): Promise<RawRow[]> {
  const { rows } = await pool.query<{ estimate: string | null }>(`SELECT reltuples::bigint::text AS estimate FROM pg_class WHERE oid = $1::regclass`, [tableName(source)]);
  return rawQuery(pool, sampleQuery(source, count, Number(rows[0]?.estimate ?? -1)), [count]);
}

/** The SQL of sampleRows for a table of about `estimatedRows` rows (-1: never analysed); `$1` is the count. */
export function sampleQuery(source: KeysetSource, count: number, estimatedRows: number): string {
  // Three times the share wanted, so LIMIT is nearly always reached.
  const percent = estimatedRows > 0 ? (300 * count) / estimatedRows : 100;
  if (percent >= 100) return `SELECT ${selectList(source)} FROM ${tableName(source)} ORDER BY random() LIMIT $1`;
  const method = estimatedRows > 100_000 ? 'SYSTEM' : 'BERNOULLI';
  return `SELECT ${selectList(source)} FROM ${tableName(source)} TABLESAMPLE ${method} (${percent.toFixed(6)}) LIMIT $1`;
}

/** The server's current WAL write position as a number (`pg_current_wal_lsn()`). */
export async function currentWalLsn(pool: Pool | PoolClient): Promise<bigint> {
  const { rows } = await pool.query<{ lsn: string }>(`SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS lsn`);
  return BigInt(rows[0]!.lsn);
}

/** How far a replication slot's consumer has confirmed (`confirmed_flush_lsn`), or undefined without that slot. */
export async function slotConfirmedFlushLsn(pool: Pool, slot: string): Promise<bigint | undefined> {
  const { rows } = await pool.query<{ lsn: string | null }>(
    `SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::text AS lsn FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
  );
  const lsn = rows[0]?.lsn;
  return lsn === undefined || lsn === null ? undefined : BigInt(lsn);
}

async function rawQuery(pool: Pool | PoolClient, text: string, values: unknown[]): Promise<RawRow[]> {
  // Text output of timestamps and intervals depends on session settings: pin them in the same
  // statement batch so a pooled connection's earlier SETs cannot change what we read.
  const client = 'release' in pool ? pool : await pool.connect();
  try {
    await client.query(`SET TimeZone = 'UTC'; SET IntervalStyle = 'iso_8601'`);
    const result = await client.query<RawRow>({ text, values, types: RAW_TEXT });
    return result.rows;
  } finally {
    if (client !== pool) (client as PoolClient).release();
  }
}

function selectList(source: KeysetSource): string {
  // The type registry says which types plain text would not read exactly (money: as numeric).
  return source.columns
    .map((column) => {
      const ref = quoteIdent(column);
      const expression = selectColumnSql(ref, source.types.get(column));
      return expression === ref ? ref : `${expression} AS ${ref}`;
    })
    .join(', ');
}

function tableName(source: KeysetSource): string {
  return `${quoteIdent(source.schema)}.${quoteIdent(source.table)}`;
}

function castType(source: KeysetSource, column: string): string {
  const type = source.types.get(column);
  if (!type) throw new Error(`${source.schema}.${source.table} has no column "${column}"`);
  // udt_name is an identifier (e.g. a user enum): quote it; arrays of enums are not keys.
  return /^[a-z_][a-z0-9_]*$/.test(type) ? type : quoteIdent(type);
}
