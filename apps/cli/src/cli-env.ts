import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@pg2ddb/service';

/** Where the settings a command uses came from, for the line `pg2ddb` prints on stderr. */
export interface CliEnv {
  env: Record<string, string | undefined>;
  /** The local stack's settings file, when they were used (--local-stack or the demo). */
  stackFile?: string;
  /** The variables set by flags (--brokers, --region …). */
  fromFlags: string[];
}

/** The embedded stack's settings file (`.stack/stack.env`, or under PG2DDB_STACK_DIR). */
export function stackEnvFile(): string {
  return join(process.env.PG2DDB_STACK_DIR ?? join(repoRoot(), '.stack'), 'stack.env');
}

/**
 * The environment the cli works with: the process environment, then the flags on top of it.
 * The embedded stack's `.stack/stack.env` completes what is unset only when asked to
 * (`localStack`: the repo's demo, `--local-stack` or PG2DDB_LOCAL_STACK=1): a cli pointed at a
 * real deployment must never quietly talk to the local stack instead. Stack settings and flags
 * also go to process.env, because the AWS SDK reads region, profile and credentials from there.
 */
export function cliEnv(options: { localStack: boolean; flags?: Record<string, string> }): CliEnv {
  const flags = options.flags ?? {};
  let stackFile: string | undefined;
  if (options.localStack) {
    const file = stackEnvFile();
    if (existsSync(file)) {
      stackFile = file;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
        if (match) process.env[match[1] as string] ??= (match[2] as string).replace(/^'(.*)'$/, '$1');
      }
    }
  }
  for (const [name, value] of Object.entries(flags)) process.env[name] = value;
  return { env: { ...process.env }, ...(stackFile ? { stackFile } : {}), fromFlags: Object.keys(flags) };
}

/** True when PG2DDB_LOCAL_STACK asks for the local stack's settings (1, true, yes). */
export function localStackRequested(env: Record<string, string | undefined>): boolean {
  return /^(1|true|yes)$/i.test(env.PG2DDB_LOCAL_STACK ?? '');
}
