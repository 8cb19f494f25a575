import { stopLocalStack } from '@pg2ddb/testing';

/** Stops the stack only if this run started it (a developer's running demo is left alone). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.PG2DDB_E2E_STARTED_STACK === '1' && process.env.PG2DDB_E2E_KEEP_STACK !== '1') stopLocalStack();
}
