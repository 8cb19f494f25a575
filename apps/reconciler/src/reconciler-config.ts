import { dynamoEnv, kafkaEnv, parsers, postgresEnv, readEnv, serviceEnv } from '@pg2ddb/config';

/** Everything the reconciler reads from its environment, validated at boot. */
export const reconcilerEnv = {
  ...kafkaEnv,
  ...dynamoEnv,
  ...postgresEnv,
  ...serviceEnv,
  PG2DDB_RECONCILE_INTERVAL_SECONDS: { description: 'seconds between count reconciliations', default: 60, parse: parsers.int(1, 86400) },
};

export type ReconcilerConfig = ReturnType<typeof readReconcilerConfig>;

/** Reads the reconciler's configuration; throws a ConfigError naming every bad variable. */
export function readReconcilerConfig(env: Record<string, string | undefined> = process.env) {
  return readEnv(reconcilerEnv, env);
}
