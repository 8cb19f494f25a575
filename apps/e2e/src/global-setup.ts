import { localStackRunning, startLocalStack } from '@pg2ddb/testing';

/** Starts the embedded stack once per run; remembers whether it was already up. */
export default async function globalSetup(): Promise<void> {
  const wasRunning = localStackRunning();
  process.env.PG2DDB_E2E_STARTED_STACK = wasRunning ? '0' : '1';
  const started = Date.now();
  startLocalStack();
  process.stdout.write(`\ne2e: stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
