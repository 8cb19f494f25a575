import type { Pool } from 'pg';
import { quoteIdent } from './pg-pool';

/** What PostgreSQL's statistics say about a table, without scanning it. */
export interface TableStatistics {
  /** pg_class.reltuples (planner estimate); -1 when never analysed/vacuumed. */
  reltuples: number;
  /** pg_stat_user_tables.n_live_tup. */
  liveTuples: number;
  /** Heap + TOAST + indexes, bytes. */
  totalBytes: number;
  /** Sum of pg_stats.avg_width of the given columns (undefined when not analysed). */
  avgRowWidth?: number;
  inserts: number;
  updates: number;
  deletes: number;
  /** When the database's statistics were reset (the counters count from there). */
  statsReset?: Date;
}

/** Reads the planner and activity statistics of a table (no table scan). */
export async function tableStatistics(pool: Pool, schema: string, table: string, columns: readonly string[]): Promise<TableStatistics> {
  const { rows } = await pool.query<Record<string, string | null>>(
    `SELECT c.reltuples::text AS reltuples, coalesce(s.n_live_tup, 0)::text AS live,
            pg_total_relation_size(c.oid)::text AS total,
            coalesce(s.n_tup_ins, 0)::text AS ins, coalesce(s.n_tup_upd, 0)::text AS upd, coalesce(s.n_tup_del, 0)::text AS del,
            (SELECT sum(avg_width)::text FROM pg_stats st WHERE st.schemaname = $1 AND st.tablename = $2 AND st.attname = ANY($3)) AS width,
            (SELECT stats_reset::text FROM pg_stat_database WHERE datname = current_database()) AS reset
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, table, columns],
  );
  const row = rows[0];
  if (!row) throw new Error(`table ${schema}.${table} does not exist`);
  return {
    reltuples: Number(row.reltuples),
    liveTuples: Number(row.live),
    totalBytes: Number(row.total),
    ...(row.width !== null && row.width !== undefined ? { avgRowWidth: Number(row.width) } : {}),
    inserts: Number(row.ins),
    updates: Number(row.upd),
    deletes: Number(row.del),
    ...(row.reset ? { statsReset: new Date(row.reset) } : {}),
  };
}

/**
 * Up to `limit` rows picked at random pages-and-rows (TABLESAMPLE BERNOULLI), selected as given
 * (`expr AS name`), for sizing items without reading the whole table.
 */
export async function sampleTableRows(pool: Pool, schema: string, table: string, select: readonly string[], limit: number, estimatedRows: number): Promise<Record<string, unknown>[]> {
  const percent = estimatedRows > 0 ? Math.min(100, Math.max(0.01, ((limit * 3) / estimatedRows) * 100)) : 100;
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT ${select.join(', ')} FROM ${quoteIdent(schema)}.${quoteIdent(table)} TABLESAMPLE BERNOULLI (${percent.toFixed(4)}) LIMIT ${Math.max(1, Math.floor(limit))}`,
  );
  return rows;
}
