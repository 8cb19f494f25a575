import type { Pool } from 'pg';

import { quoteIdent } from './pg-pool';

function split(qualified: string): [string, string] {
  const [schema, table, ...rest] = qualified.split('.');
  if (!schema || !table || rest.length > 0) throw new Error(`heartbeat table must be "schema.table", got "${qualified}"`);
  return [schema, table];
}

/**
 * Creates the heartbeat table that Debezium's `heartbeat.action.query` upserts (one row: id 1 and
 * the time of the last beat) if it is missing, and adds it to the connector's publication when
 * that publication exists without it. Must run before the connector starts: a failing action
 * query fails the connector's task. Idempotent; resolves what it had to do.
 */
export async function ensureHeartbeatTable(pool: Pool, qualified: string, publication?: string): Promise<{ created: boolean; addedToPublication: boolean }> {
  const [schema, table] = split(qualified);
  const name = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const exists = await pool.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema, table]);
  let created = false;
  if (exists.rowCount === 0) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${name} (id integer PRIMARY KEY, beat_at timestamptz NOT NULL)`);
    created = true;
  }
  let addedToPublication = false;
  if (publication) {
    const pub = await pool.query<{ puballtables: boolean }>('SELECT puballtables FROM pg_publication WHERE pubname = $1', [publication]);
    const member = await pool.query('SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3', [publication, schema, table]);
    if (pub.rows[0] && !pub.rows[0].puballtables && member.rowCount === 0) {
      await pool.query(`ALTER PUBLICATION ${quoteIdent(publication)} ADD TABLE ${name}`);
      addedToPublication = true;
    }
  }
  return { created, addedToPublication };
}

/** Drops the heartbeat table if it exists (connector delete --drop-slot). */
export async function dropHeartbeatTable(pool: Pool, qualified: string): Promise<void> {
  const [schema, table] = split(qualified);
  await pool.query(`DROP TABLE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(table)}`);
}
