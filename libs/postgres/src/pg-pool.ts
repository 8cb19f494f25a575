import { Pool, type PoolConfig } from 'pg';

export interface PgConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
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
