import { DataSource } from 'typeorm';

import { ReconciliationRuns1763770000000 } from './migrations/1763770000000-reconciliation-runs.migration';
import { RunHistory1764800000000 } from './migrations/1764800000000-run-history.migration';
import { WayBack1764850000000 } from './migrations/1764850000000-way-back.migration';
import type { PgConnection } from './pg-pool';
import { RunHistoryEntity } from './run-history.entity';

/** The project's own schema in the source database (run history and other bookkeeping). */
export const PG2DDB_SCHEMA = 'pg2ddb';

/** Every migration of the pg2ddb schema, oldest first. */
export const PG2DDB_MIGRATIONS = [ReconciliationRuns1763770000000, RunHistory1764800000000, WayBack1764850000000];

/**
 * A TypeORM data source for the `pg2ddb` schema: its entities (run history, reconciliation runs)
 * are never synchronised, only the migrations above change the schema (tracked in
 * `pg2ddb.migrations`). Call `migratePg2ddbSchema` to apply them.
 */
export function createPg2ddbDataSource(connection: PgConnection, applicationName = 'pg2ddb-migrations'): DataSource {
  return new DataSource({
    type: 'postgres',
    host: connection.host,
    port: connection.port,
    username: connection.user,
    password: connection.password,
    database: connection.database,
    ...(connection.ssl ? { ssl: connection.ssl } : {}),
    schema: PG2DDB_SCHEMA,
    migrationsTableName: 'migrations',
    entities: [RunHistoryEntity],
    migrations: PG2DDB_MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: 2, application_name: applicationName },
  });
}
