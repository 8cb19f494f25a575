import type { Pool, QueryResultRow } from 'pg';

/** Every column as Postgres sends it (text): no client-side conversion, and exact for the mapping. */
export const RAW_TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/** How fast one client reads the table's rows. */
export interface PgReadPoint {
  rows: number;
  pages: number;
  pageRows: number;
  seconds: number;
  rowsPerSecond: number;
  method: string;
}

/**
 * The raw read ceiling of Postgres for a table: one connection, a keyset scan over the primary
 * key (`WHERE id > $last ORDER BY id LIMIT n`), every column fetched as text. This is the fastest
 * way a loader can page through the rows (no OFFSET re-scanning, no type conversion).
 */
export async function measurePgReadRate(pool: Pool, table: string, idColumn: string, pageRows: number): Promise<PgReadPoint> {
  const client = await pool.connect();
  try {
    let last = -1;
    let rows = 0;
    let pages = 0;
    const started = process.hrtime.bigint();
    for (;;) {
      const result = await client.query<QueryResultRow>({
        text: `SELECT * FROM ${table} WHERE ${idColumn} > $1 ORDER BY ${idColumn} LIMIT ${pageRows}`,
        values: [last],
        types: RAW_TEXT_TYPES,
      });
      pages++;
      if (result.rows.length === 0) break;
      rows += result.rows.length;
      last = Number((result.rows[result.rows.length - 1] as QueryResultRow)[idColumn]);
      if (result.rows.length < pageRows) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      rows,
      pages,
      pageRows,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(rows / seconds),
      method: `one connection, keyset pages of ${pageRows} (WHERE ${idColumn} > last ORDER BY ${idColumn} LIMIT ${pageRows}), all columns as text`,
    };
  } finally {
    client.release();
  }
}

/** The first `limit` rows by primary key, every column as text. */
export async function readRowsAsText(pool: Pool, table: string, idColumn: string, limit: number): Promise<QueryResultRow[]> {
  const result = await pool.query<QueryResultRow>({ text: `SELECT * FROM ${table} ORDER BY ${idColumn} LIMIT ${limit}`, types: RAW_TEXT_TYPES });
  return result.rows;
}
