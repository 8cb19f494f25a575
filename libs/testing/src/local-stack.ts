import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/** Connection settings of a running stack, as `infra/local/stack.sh env` prints them. */
export type StackEnv = Record<string, string>;

/** The stack's state directory (PG2DDB_STACK_DIR or <repo>/.stack). */
export function stackDir(): string {
  return process.env.PG2DDB_STACK_DIR ?? join(repoRoot(), '.stack');
}

/**
 * Starts the embedded stack (idempotent: running parts are reused) and returns its settings.
 * Output goes to the terminal so a slow first start shows its progress.
 */
export function startLocalStack(): StackEnv {
  const result = spawnSync('bash', [join(repoRoot(), 'infra/local/stack.sh'), 'start'], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) throw new Error(`infra/local/stack.sh start failed (exit ${result.status}); see the messages above`);
  return readStackEnv();
}

/** Reads `<stack dir>/stack.env` (KEY=value lines). */
export function readStackEnv(): StackEnv {
  const text = readFileSync(join(stackDir(), 'stack.env'), 'utf8');
  const env: StackEnv = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1] as string] = (match[2] as string).replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  }
  return env;
}
