import type { Pool } from 'pg';
import { quoteIdent } from './pg-pool';

/** Exact row count of one table (a full count: meant for progress on load-sized tables). */
export async function countRows(pool: Pool, schema: string, table: string): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${quoteIdent(schema)}.${quoteIdent(table)}`);
  return Number(rows[0]?.count ?? 0);
}
