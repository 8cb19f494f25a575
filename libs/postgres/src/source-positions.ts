import type { Pool } from 'pg';

/** One checkpoint of the DynamoDB source (`pg2ddb.ddb_source_positions`). */
export interface SourcePosition {
  kind: 'scan' | 'segment' | 'shard';
  /** `start` for the scan, the segment number, or the shard id. */
  id: string;
  position: Record<string, unknown>;
  done: boolean;
}

/**
 * Every checkpoint of one table's DynamoDB source. Kept in PostgreSQL rather than a compacted
 * topic: each is one upsert the source makes after Kafka acknowledged what it covers, readable at
 * start and by `status` with plain SQL, next to the run history.
 */
export async function loadSourcePositions(pool: Pool, topicPrefix: string, table: string): Promise<SourcePosition[]> {
  const { rows } = await pool.query<{ kind: SourcePosition['kind']; id: string; position: Record<string, unknown>; done: boolean }>(
    `SELECT kind, id, position, done FROM pg2ddb.ddb_source_positions WHERE topic_prefix = $1 AND table_name = $2`,
    [topicPrefix, table],
  );
  return rows.map((row) => ({ kind: row.kind, id: row.id, position: row.position, done: row.done }));
}

/** Saves one checkpoint (called only after Kafka acknowledged every change it covers). */
export async function saveSourcePosition(pool: Pool, topicPrefix: string, table: string, position: SourcePosition): Promise<void> {
  await pool.query(
    `INSERT INTO pg2ddb.ddb_source_positions (topic_prefix, table_name, kind, id, position, done, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (topic_prefix, table_name, kind, id) DO UPDATE SET position = EXCLUDED.position, done = EXCLUDED.done, updated_at = now()`,
    [topicPrefix, table, position.kind, position.id, JSON.stringify(position.position), position.done],
  );
}

/** Forgets a table's checkpoints (the next start loads the table again). */
export async function clearSourcePositions(pool: Pool, topicPrefix: string, table: string): Promise<void> {
  await pool.query(`DELETE FROM pg2ddb.ddb_source_positions WHERE topic_prefix = $1 AND table_name = $2`, [topicPrefix, table]);
}
