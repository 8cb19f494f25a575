import type { Pool } from 'pg';
import { quoteIdent } from './pg-pool';

/**
 * Exact row count of one table, or of the rows matching `filter` (an SQL condition the caller
 * trusts, e.g. an operator's snapshot slice): a full count, meant for progress on load-sized tables.
 * An invalid filter rejects with PostgreSQL's own error (SQLSTATE in `code`).
 */
export async function countRows(pool: Pool, schema: string, table: string, filter?: string): Promise<number> {
  const where = filter ? ` WHERE ${filter}` : '';
  const { rows } = await pool.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${quoteIdent(schema)}.${quoteIdent(table)}${where}`);
  return Number(rows[0]?.count ?? 0);
}

/**
 * How many rows (matching `filter`, if any) have a numeric key column at or below `key`: the
 * progress of a read in key order, such as Debezium's incremental snapshot chunks. Resolves
 * undefined when the count cannot be made (a key that is not a number, a dropped column).
 */
export async function countRowsUpToKey(pool: Pool, source: { schema: string; table: string; keyColumn: string }, key: string, filter?: string): Promise<number | undefined> {
  const { rows } = await pool
    .query<{ count: string }>(
      `SELECT count(*)::text AS count FROM ${quoteIdent(source.schema)}.${quoteIdent(source.table)}
        WHERE ${quoteIdent(source.keyColumn)}::text::numeric <= $1::numeric${filter ? ` AND ${filter}` : ''}`,
      [key],
    )
    .catch(() => ({ rows: [] as Array<{ count: string }> }));
  return rows[0] ? Number(rows[0].count) : undefined;
}
