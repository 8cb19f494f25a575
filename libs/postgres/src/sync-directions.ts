import type { Pool } from 'pg';

/** Which way an entity syncs. `switching`: neither side moves while the switch drains. */
export type SyncDirection = 'pg-to-ddb' | 'ddb-to-pg' | 'switching';

export interface EntityDirection {
  entity: string;
  direction: SyncDirection;
  /** Where the direction's source starts (e.g. the WAL position of a switch back to pg-to-ddb). */
  since: Record<string, unknown>;
  switchedAt: Date;
}

export interface DirectionSwitch {
  entity: string;
  from: SyncDirection | 'none';
  to: SyncDirection;
  switchedAt: Date;
  evidence: Record<string, unknown>;
}

/** The direction of every entity of a deployment that has one (none recorded: nothing runs the way back). */
export async function loadDirections(pool: Pool, topicPrefix: string): Promise<EntityDirection[]> {
  const exists = await pool.query<{ present: boolean }>(`SELECT to_regclass('pg2ddb.sync_directions') IS NOT NULL AS present`);
  if (exists.rows[0]?.present !== true) return [];
  const { rows } = await pool.query<{ entity: string; direction: SyncDirection; since: Record<string, unknown>; switched_at: Date }>(
    `SELECT entity, direction, since, switched_at FROM pg2ddb.sync_directions WHERE topic_prefix = $1 ORDER BY entity`,
    [topicPrefix],
  );
  return rows.map((row) => ({ entity: row.entity, direction: row.direction, since: row.since, switchedAt: row.switched_at }));
}

/**
 * Sets the direction of entities and records the switch in `pg2ddb.direction_switches` in one
 * transaction. `expected` is the direction each entity must have now (compare-and-set): a
 * concurrent switch makes this throw instead of both winning.
 */
export async function recordDirectionSwitch(
  pool: Pool,
  topicPrefix: string,
  entities: readonly string[],
  expected: SyncDirection | 'none' | 'any',
  to: SyncDirection,
  since: Record<string, unknown>,
  evidence: Record<string, unknown>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const entity of entities) {
      const current = await client.query<{ direction: SyncDirection }>(
        `SELECT direction FROM pg2ddb.sync_directions WHERE topic_prefix = $1 AND entity = $2 FOR UPDATE`,
        [topicPrefix, entity],
      );
      const from = current.rows[0]?.direction ?? 'none';
      if (expected !== 'any' && from !== expected) throw new Error(`entity ${entity} syncs ${from}, not ${expected}: another switch ran meanwhile; nothing was changed`);
      await client.query(
        `INSERT INTO pg2ddb.sync_directions (topic_prefix, entity, direction, since, switched_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (topic_prefix, entity) DO UPDATE SET direction = EXCLUDED.direction, since = EXCLUDED.since, switched_at = now()`,
        [topicPrefix, entity, to, JSON.stringify(since)],
      );
      await client.query(
        `INSERT INTO pg2ddb.direction_switches (topic_prefix, entity, from_direction, to_direction, evidence) VALUES ($1, $2, $3, $4, $5)`,
        [topicPrefix, entity, from, to, JSON.stringify(evidence)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The switches of a deployment, oldest first. */
export async function directionHistory(pool: Pool, topicPrefix: string): Promise<DirectionSwitch[]> {
  const { rows } = await pool.query<{ entity: string; from_direction: DirectionSwitch['from']; to_direction: SyncDirection; switched_at: Date; evidence: Record<string, unknown> }>(
    `SELECT entity, from_direction, to_direction, switched_at, evidence FROM pg2ddb.direction_switches WHERE topic_prefix = $1 ORDER BY id`,
    [topicPrefix],
  );
  return rows.map((row) => ({ entity: row.entity, from: row.from_direction, to: row.to_direction, switchedAt: row.switched_at, evidence: row.evidence }));
}
