import { Pool, type PoolConfig } from 'pg';
import type { PgTls } from './pg-ssl';

export interface PgConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** TLS (pgSsl: PG2DDB_PG_SSLMODE and PG2DDB_PG_SSL_ROOT_CERT); absent or false: none. */
  ssl?: false | PgTls;
}

/** A small pg pool with bounded waits, so an unreachable database fails fast with a clear error. */
export function createPgPool(connection: PgConnection, options: Partial<PoolConfig> = {}): Pool {
  return new Pool({
    ...connection,
    max: 4,
    connectionTimeoutMillis: 10000,
    idleTimeoutMillis: 10000,
    application_name: 'pg2ddb',
    ...options,
  });
}

/** Quotes an identifier (schema, table, column) for SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
