import type { Pool } from 'pg';
import { quoteIdent } from './pg-pool';

/** A row's primary key values, e.g. `{ paymentid: '42' }` (as text). */
export type SampleKey = Record<string, string | null>;

/**
 * Counts the rows matching each named SQL condition in ONE scan of the table
 * (`count(*) FILTER (WHERE ...)`), so a dozen checks over a large table cost one pass and no
 * rows leave the server. Conditions are SQL built by the caller from quoted identifiers.
 */
export async function countMatching(pool: Pool, schema: string, table: string, conditions: Record<string, string>): Promise<Record<string, number>> {
  const labels = Object.keys(conditions);
  if (labels.length === 0) return {};
  const select = labels.map((label, index) => `count(*) FILTER (WHERE ${conditions[label]})::text AS c${index}`).join(', ');
  const { rows } = await pool.query<Record<string, string>>(`SELECT ${select} FROM ${qualified(schema, table)}`);
  return Object.fromEntries(labels.map((label, index) => [label, Number(rows[0]?.[`c${index}`] ?? 0)]));
}

/** Primary keys (as text) of up to `limit` rows matching a condition, in key order. */
export async function sampleKeys(pool: Pool, schema: string, table: string, condition: string, keyColumns: readonly string[], limit = 3): Promise<SampleKey[]> {
  const keys = keyColumns.map((column) => `${quoteIdent(column)}::text AS ${quoteIdent(column)}`).join(', ');
  const order = keyColumns.map(quoteIdent).join(', ');
  const { rows } = await pool.query<SampleKey>(`SELECT ${keys} FROM ${qualified(schema, table)} WHERE ${condition} ORDER BY ${order} LIMIT ${Math.max(1, Math.floor(limit))}`);
  return rows;
}

/**
 * Groups rows by SQL expressions (e.g. the columns an item key is rendered from) and returns
 * how many groups hold more than one row, how many rows they hold, and sample keys of the first
 * duplicate group. Aggregated on the server: memory does not grow with the table.
 */
export async function duplicateGroups(
  pool: Pool,
  schema: string,
  table: string,
  expressions: readonly string[],
  keyColumns: readonly string[],
): Promise<{ groups: number; rows: number; sample: SampleKey[] }> {
  const by = expressions.join(', ');
  const keyText = keyColumns.length === 1 ? `${quoteIdent(keyColumns[0]!)}::text` : `concat_ws(',', ${keyColumns.map((c) => `${quoteIdent(c)}::text`).join(', ')})`;
  const { rows } = await pool.query<{ groups: string; rows: string; sample: string[] | null }>(
    `WITH dup AS (SELECT count(*) AS n, (array_agg(${keyText} ORDER BY ${keyColumns.map(quoteIdent).join(', ')}))[1:3] AS keys
                    FROM ${qualified(schema, table)} GROUP BY ${by} HAVING count(*) > 1)
     SELECT count(*)::text AS groups, coalesce(sum(n), 0)::text AS rows, (SELECT keys FROM dup ORDER BY n DESC LIMIT 1) AS sample FROM dup`,
  );
  const row = rows[0];
  const sample = (row?.sample ?? []).map((text) => {
    const values = keyColumns.length === 1 ? [text] : text.split(',');
    return Object.fromEntries(keyColumns.map((column, index) => [column, values[index] ?? null]));
  });
  return { groups: Number(row?.groups ?? 0), rows: Number(row?.rows ?? 0), sample };
}

/**
 * The rows whose SQL size estimate is at least `minBytes`, largest first, at most `limit`, with
 * the columns selected as given (`expr AS name`). Used to map only the few candidates that could
 * exceed DynamoDB's item limit instead of every row.
 */
export async function rowsAbove(
  pool: Pool,
  schema: string,
  table: string,
  select: readonly string[],
  sizeExpression: string,
  minBytes: number,
  limit: number,
): Promise<{ rows: Record<string, unknown>[]; total: number }> {
  const from = qualified(schema, table);
  const count = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${from} WHERE (${sizeExpression}) >= $1`, [minBytes]);
  const total = Number(count.rows[0]?.n ?? 0);
  if (total === 0) return { rows: [], total };
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT ${select.join(', ')} FROM ${from} WHERE (${sizeExpression}) >= $1 ORDER BY (${sizeExpression}) DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    [minBytes],
  );
  return { rows, total };
}

function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
