import type { Pool } from 'pg';

/** One live column of a source table, as the catalog describes it. */
export interface SourceColumn {
  name: string;
  /** `format_type` text: `numeric(12,2)`, `timestamp with time zone`, `text[]`, `payment_status`. */
  type: string;
  /** The base type's name (`int4`, `_text` for arrays, the enum's name). */
  udtName: string;
  /** True when the type (or an array's element type) is an enum. */
  isEnum: boolean;
  isArray: boolean;
  notNull: boolean;
  /** Variable-length values PostgreSQL may move out of line (TOAST): storage other than plain. */
  toastable: boolean;
}

/** A source table's shape: whether it exists, its columns, primary key and replica identity. */
export interface SourceTable {
  exists: boolean;
  columns: SourceColumn[];
  primaryKey: string[];
  /** `default`, `full`, `index` or `nothing` (pg_class.relreplident). */
  replicaIdentity: 'default' | 'full' | 'index' | 'nothing';
  /** Column sets with a unique index (primary key included). */
  uniqueKeys: string[][];
}

/**
 * Reads a table's columns, types, primary key, unique keys and replica identity from the
 * catalog. A missing table resolves `exists: false` rather than throwing, so `validate` can
 * report it next to every other finding.
 */
export async function describeSourceTable(pool: Pool, schema: string, table: string): Promise<SourceTable> {
  const rel = await pool.query<{ oid: number; relreplident: string }>(
    `SELECT c.oid, c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [schema, table],
  );
  const found = rel.rows[0];
  if (!found) return { exists: false, columns: [], primaryKey: [], replicaIdentity: 'default', uniqueKeys: [] };
  const columns = await pool.query<{ name: string; type: string; udt_name: string; is_enum: boolean; is_array: boolean; not_null: boolean; storage: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typname AS udt_name,
            (coalesce(et.typtype, t.typtype) = 'e') AS is_enum, (t.typelem <> 0 AND t.typlen = -1) AS is_array,
            a.attnotnull AS not_null, a.attstorage AS storage
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typlen = -1
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [found.oid],
  );
  const keys = await pool.query<{ primary: boolean; columns: string[] }>(
    `SELECT i.indisprimary AS primary, array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisunique AND i.indpred IS NULL
      GROUP BY i.indexrelid, i.indisprimary`,
    [found.oid],
  );
  const identity = { d: 'default', f: 'full', i: 'index', n: 'nothing' } as const;
  return {
    exists: true,
    columns: columns.rows.map((row) => ({
      name: row.name,
      type: row.type,
      udtName: row.udt_name,
      isEnum: row.is_enum,
      isArray: row.is_array,
      notNull: row.not_null,
      toastable: row.storage !== 'p',
    })),
    primaryKey: keys.rows.find((row) => row.primary)?.columns ?? [],
    replicaIdentity: identity[found.relreplident as keyof typeof identity] ?? 'default',
    uniqueKeys: keys.rows.map((row) => row.columns),
  };
}
