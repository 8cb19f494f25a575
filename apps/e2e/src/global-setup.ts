import { localStackRunning, startLocalStack } from '@pg2ddb/testing';

/**
 * Starts the embedded stack once per run (reusing one that is already up) and exports its
 * settings to the environment the test workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  const wasRunning = localStackRunning();
  process.env.PG2DDB_E2E_STARTED_STACK = wasRunning ? '0' : '1';
  const started = Date.now();
  const env = startLocalStack();
  for (const [name, value] of Object.entries(env)) process.env[name] ??= value;
  process.stdout.write(`\ne2e: stack ${wasRunning ? 'reused' : 'started'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
