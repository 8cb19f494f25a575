import type { Pool } from 'pg';

import { createPg2ddbDataSource, PG2DDB_SCHEMA } from './pg2ddb-data-source';
import type { PgConnection } from './pg-pool';

/** Arbitrary but fixed: every pg2ddb process migrating the same database takes this advisory lock. */
const MIGRATION_LOCK = 7_246_032_951;

/**
 * Creates the `pg2ddb` schema and applies pending TypeORM migrations. Safe to call from many
 * processes at once (services starting together, parallel tests): a session advisory lock
 * serialises them, and whoever comes second finds nothing left to do.
 */
export async function migratePg2ddbSchema(pool: Pool, connection: PgConnection): Promise<string[]> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // The migrations table lives in the schema, so the schema must exist before TypeORM looks.
    // Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the
    // schema exists, which a least-privilege role (the reconciler's) does not have.
    const exists = await lock.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [PG2DDB_SCHEMA]);
    if (exists.rowCount === 0) await lock.query(`CREATE SCHEMA IF NOT EXISTS ${PG2DDB_SCHEMA}`);
    const dataSource = createPg2ddbDataSource(connection);
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lock.release();
  }
}
