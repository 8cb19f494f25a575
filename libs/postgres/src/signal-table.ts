import type { Pool } from 'pg';
import { quoteIdent } from './pg-pool';

function split(qualified: string): [string, string] {
  const [schema, table, ...rest] = qualified.split('.');
  if (!schema || !table || rest.length > 0) throw new Error(`signal table must be "schema.table", got "${qualified}"`);
  return [schema, table];
}

/**
 * Creates the Debezium signal table (the shape Debezium documents: id, type, data) if it is
 * missing, and adds it to the connector's publication when that publication exists without it:
 * pgoutput only decodes tables of the publication, and a signal the connector never sees would
 * never start a snapshot. Idempotent. Resolves what it had to do.
 */
export async function ensureSignalTable(pool: Pool, qualified: string, publication?: string): Promise<{ created: boolean; addedToPublication: boolean }> {
  const [schema, table] = split(qualified);
  const exists = await pool.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [schema, table]);
  let created = false;
  if (exists.rowCount === 0) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}.${quoteIdent(table)} (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(4096))`);
    created = true;
  }
  let addedToPublication = false;
  if (publication) {
    const pub = await pool.query<{ puballtables: boolean }>('SELECT puballtables FROM pg_publication WHERE pubname = $1', [publication]);
    const member = await pool.query('SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3', [publication, schema, table]);
    if (pub.rows[0] && !pub.rows[0].puballtables && member.rowCount === 0) {
      await pool.query(`ALTER PUBLICATION ${quoteIdent(publication)} ADD TABLE ${quoteIdent(schema)}.${quoteIdent(table)}`);
      addedToPublication = true;
    }
  }
  return { created, addedToPublication };
}

/** Inserts one signal row (`execute-snapshot`, `stop-snapshot`, ...) with its JSON data. */
export async function insertSignal(pool: Pool, qualified: string, signal: { id: string; type: string; data: unknown }): Promise<void> {
  const [schema, table] = split(qualified);
  await pool.query(`INSERT INTO ${quoteIdent(schema)}.${quoteIdent(table)} (id, type, data) VALUES ($1, $2, $3)`, [signal.id, signal.type, JSON.stringify(signal.data)]);
}

/** Drops the signal table if it exists (connector delete --drop-slot). */
export async function dropSignalTable(pool: Pool, qualified: string): Promise<void> {
  const [schema, table] = split(qualified);
  await pool.query(`DROP TABLE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(table)}`);
}
