import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/**
 * A new directory for one test's files (mapping copies, service logs, a private process's state)
 * under `<repo>/tmp/e2e/`, not the system's /tmp: a run leaves nothing behind outside the
 * checkout, the logs of a failed run are where the test summary points, and `npm test` empties
 * the folder when it starts.
 */
export function testTempDir(prefix: string): string {
  const base = join(repoRoot(), 'tmp', 'e2e');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}
