import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/**
 * The environment the cli works with: the process environment, completed by the embedded
 * stack's settings (`.stack/stack.env`) for anything not set, so local use needs no exports.
 * Those settings also fill the unset process variables, because the AWS SDK reads its
 * credentials (the local emulator's dummy ones) from there.
 */
export function cliEnv(): Record<string, string | undefined> {
  const file = join(process.env.PG2DDB_STACK_DIR ?? join(repoRoot(), '.stack'), 'stack.env');
  const fromStack: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match) fromStack[match[1] as string] = (match[2] as string).replace(/^'(.*)'$/, '$1');
    }
  }
  for (const [name, value] of Object.entries(fromStack)) process.env[name] ??= value;
  return { ...process.env };
}
