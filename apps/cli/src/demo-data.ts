import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countRows } from '@pg2ddb/postgres';
import { repoRoot } from '@pg2ddb/service';
import type { Pool } from 'pg';

/**
 * Creates the payments demo table (idempotent) and loads `rows` generated payments when it is
 * empty, so running the demo again never loads anything twice. Returns the rows already there.
 */
export async function seedDemoData(pg: Pool, rows: number, print: (line: string) => void): Promise<number> {
  const examples = join(repoRoot(), 'examples/payments');
  await pg.query(readFileSync(join(examples, 'schema.sql'), 'utf8'));
  const existing = await countRows(pg, 'public', 'payments');
  if (existing > 0) {
    print(`PostgreSQL already holds ${existing.toLocaleString('en-US')} payments; keeping them`);
    return existing;
  }
  print(`loading ${rows.toLocaleString('en-US')} demo payments into PostgreSQL`);
  await pg.query(readFileSync(join(examples, 'seed.sql'), 'utf8').replaceAll('{{rows}}', String(rows)));
  return 0;
}
