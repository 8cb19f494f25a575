import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/**
 * Where `infra/local/stack.sh fetch` put a JVM component's jars (`dynamodb`, `kafka`, `connect`):
 * the cache directory named after its Maven pom's hash, as the script names it.
 */
export function cachedComponentDir(component: 'dynamodb' | 'kafka' | 'connect'): string {
  const cache = process.env.PG2DDB_CACHE_DIR ?? join(homedir(), '.cache', 'pg2ddb');
  const pom = readFileSync(join(repoRoot(), `infra/local/maven/${component}/pom.xml`));
  const dir = join(cache, `${component}-${createHash('sha256').update(pom).digest('hex').slice(0, 12)}`);
  if (!existsSync(join(dir, '.complete'))) throw new Error(`${component} jars not found in ${dir}; run 'infra/local/stack.sh fetch'`);
  return dir;
}
