import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countRows, createPgPool, type PgConnection } from '@pg2ddb/postgres';
import { repoRoot } from '@pg2ddb/service';
import type { Pool } from 'pg';

/** The schema the payments demo mapping reads (examples/payments/mapping.yaml). */
const DEMO_SCHEMA = 'public';

/**
 * A pool whose unqualified names resolve to the demo's schema. The default search path starts
 * with "$user", so once a schema named after the login exists (the stack's login is pg2ddb, and
 * pg2ddb's own bookkeeping lives in schema pg2ddb) the demo table would land there instead.
 */
export function createDemoPool(connection: PgConnection): Pool {
  return createPgPool(connection, { options: `-c search_path=${DEMO_SCHEMA}` });
}

/**
 * Creates the payments demo table (idempotent) and loads `rows` generated payments when it is
 * empty, so running the demo again never loads anything twice. Returns the rows already there.
 */
export async function seedDemoData(pg: Pool, rows: number, print: (line: string) => void): Promise<number> {
  const examples = join(repoRoot(), 'examples/payments');
  await pg.query(readFileSync(join(examples, 'schema.sql'), 'utf8'));
  const existing = await countRows(pg, DEMO_SCHEMA, 'payments');
  if (existing > 0) {
    print(`PostgreSQL already holds ${existing.toLocaleString('en-US')} payments; keeping them`);
    return existing;
  }
  print(`loading ${rows.toLocaleString('en-US')} demo payments into PostgreSQL`);
  await pg.query(readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', String(rows)));
  return 0;
}
