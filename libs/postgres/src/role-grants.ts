import type { Pool } from 'pg';

import { PG2DDB_SCHEMA } from './pg2ddb-data-source';
import { quoteIdent } from './pg-pool';

/** What the connector's role may touch: the captured tables, the signal and heartbeat tables. */
export interface ConnectorAccess {
  /** The role Debezium logs in with (LOGIN REPLICATION, created by the DBA). */
  role: string;
  publication: string;
  /** `schema.table` of every mapped source table. */
  tables: readonly string[];
  signalTable: string;
  heartbeatTable: string;
}

function qualified(table: string): string {
  const [schema, name, ...rest] = table.split('.');
  if (!schema || !name || rest.length > 0) throw new Error(`table must be "schema.table", got "${table}"`);
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

function schemasOf(tables: readonly string[]): string[] {
  return [...new Set(tables.map((table) => table.split('.')[0] as string))];
}

/**
 * The GRANTs the connector's role needs, and nothing more: USAGE on the schemas, SELECT on the
 * captured tables (snapshots), INSERT on the signal table (incremental snapshot watermarks) and
 * INSERT/UPDATE on the heartbeat table (the heartbeat action query). It gets no right to write a
 * source table. Pure: docs/security.md shows the same statements.
 */
export function connectorGrantStatements(access: ConnectorAccess): string[] {
  const role = quoteIdent(access.role);
  const captured = [...access.tables, access.signalTable, access.heartbeatTable];
  return [
    ...schemasOf(captured).map((schema) => `GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${role}`),
    `GRANT SELECT ON ${captured.map(qualified).join(', ')} TO ${role}`,
    `GRANT INSERT ON ${qualified(access.signalTable)} TO ${role}`,
    `GRANT INSERT, UPDATE ON ${qualified(access.heartbeatTable)} TO ${role}`,
  ];
}

/**
 * Run by the admin role (the tables' owner) before the connector starts under its own role:
 * creates the publication over exactly the captured tables (or sets its tables when they differ),
 * so Debezium's filtered mode finds it complete and never needs to own a table, then grants the
 * connector's role what `connectorGrantStatements` lists. The signal and heartbeat tables must
 * exist. Idempotent. Resolves whether the publication was created or changed.
 */
export async function grantConnectorAccess(pool: Pool, access: ConnectorAccess): Promise<{ publication: 'created' | 'updated' | 'unchanged' }> {
  const captured = [...access.tables, access.signalTable, access.heartbeatTable];
  const list = captured.map(qualified).join(', ');
  const pub = await pool.query<{ puballtables: boolean }>('SELECT puballtables FROM pg_publication WHERE pubname = $1', [access.publication]);
  let publication: 'created' | 'updated' | 'unchanged' = 'unchanged';
  if (pub.rowCount === 0) {
    await pool.query(`CREATE PUBLICATION ${quoteIdent(access.publication)} FOR TABLE ${list}`);
    publication = 'created';
  } else if (!pub.rows[0]?.puballtables) {
    const { rows } = await pool.query<{ name: string }>(`SELECT schemaname || '.' || tablename AS name FROM pg_publication_tables WHERE pubname = $1`, [access.publication]);
    const current = new Set(rows.map((row) => row.name));
    if (current.size !== new Set(captured).size || captured.some((table) => !current.has(table))) {
      await pool.query(`ALTER PUBLICATION ${quoteIdent(access.publication)} SET TABLE ${list}`);
      publication = 'updated';
    }
  }
  for (const statement of connectorGrantStatements(access)) await pool.query(statement);
  return { publication };
}

/**
 * The GRANTs of the reconciler's read-only role: SELECT on the mapped tables, and on its own
 * bookkeeping in the `pg2ddb` schema (run history) SELECT/INSERT/UPDATE. Repair needs nothing
 * more in PostgreSQL: it re-reads rows and sends write commands through Kafka.
 */
export function reconcilerGrantStatements(role: string, tables: readonly string[]): string[] {
  const quoted = quoteIdent(role);
  const schema = quoteIdent(PG2DDB_SCHEMA);
  return [
    ...schemasOf(tables).map((name) => `GRANT USAGE ON SCHEMA ${quoteIdent(name)} TO ${quoted}`),
    `GRANT SELECT ON ${tables.map(qualified).join(', ')} TO ${quoted}`,
    `GRANT USAGE ON SCHEMA ${schema} TO ${quoted}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${quoted}`,
    `GRANT INSERT, UPDATE ON ${schema}.reconciliation_runs, ${schema}.run_history TO ${quoted}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${quoted}`,
  ];
}

/** Runs `reconcilerGrantStatements` as the admin role (after `migratePg2ddbSchema`). Idempotent. */
export async function grantReconcilerAccess(pool: Pool, role: string, tables: readonly string[]): Promise<void> {
  for (const statement of reconcilerGrantStatements(role, tables)) await pool.query(statement);
}
