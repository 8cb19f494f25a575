import { startLocalStack, type StackEnv } from '@pg2ddb/testing';

/**
 * Starts the shared local stack (idempotent: running parts are reused, nothing is ever stopped
 * here) and exports its settings — the emulator's dummy credentials included — to this process,
 * the way the e2e global set-up does, so the AWS SDK and the spawned services find them.
 */
export function useLocalStack(): StackEnv {
  const env = startLocalStack();
  for (const [name, value] of Object.entries(env)) process.env[name] ??= value;
  return env;
}
