import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/** The mapping and schema of one of the shipped examples (examples/<name>), for TestPipeline.start. */
export function exampleSources(name: 'payments' | 'ecommerce' | 'integration-logs'): { mapping: string; schemaSql: string } {
  const dir = join(repoRoot(), 'examples', name);
  return { mapping: readFileSync(join(dir, 'mapping.yaml'), 'utf8'), schemaSql: readFileSync(join(dir, 'schema.sql'), 'utf8') };
}
