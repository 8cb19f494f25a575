import { adminPortEnv, ConfigError, connectEnv, dynamoEnv, kafkaEnv, parsers, postgresEnv, readEnv, serviceEnv, sourceEnv, type EnvVar } from '@pg2ddb/config';

const { bool, int, oneOf, string } = parsers;
const optional = (description: string): EnvVar<string | undefined> => ({ description, default: undefined, parse: string });

/** Everything the reconciler reads from its environment, validated at boot. */
export const reconcilerEnv = {
  ...kafkaEnv,
  ...dynamoEnv,
  ...postgresEnv,
  ...serviceEnv,
  ...adminPortEnv,
  ...sourceEnv,
  PG2DDB_RECONCILE_SCHEDULE: { description: 'run reconciliations on a timer (true) or only on demand (false)', default: true, parse: bool } as EnvVar<boolean>,
  PG2DDB_RECONCILE_INTERVAL_SECONDS: { description: 'seconds between scheduled reconciliations', default: 60, parse: int(1, 86400) } as EnvVar<number>,
  PG2DDB_RECONCILE_MODE: { description: 'mode of scheduled runs: count, sample, full or recent', default: 'sample', parse: oneOf('count', 'sample', 'full', 'recent') } as EnvVar<
    'count' | 'sample' | 'full' | 'recent'
  >,
  PG2DDB_RECONCILE_ENTITIES: { description: 'entities of scheduled runs, comma-separated (empty: all)', default: [], parse: parsers.list } as EnvVar<string[]>,
  PG2DDB_RECONCILE_SAMPLE_SIZE: { description: 'rows per sample run', default: 100, parse: int(1, 10_000_000) } as EnvVar<number>,
  PG2DDB_RECONCILE_RECENT_COLUMN: optional('column of the recent mode (rows whose column is within the window), e.g. updated_at'),
  PG2DDB_RECONCILE_RECENT_WINDOW_SECONDS: { description: 'window of the recent mode', default: 3600, parse: int(1, 31_536_000) } as EnvVar<number>,
  PG2DDB_RECONCILE_REPAIR: { description: 're-sync confirmed drift through the writes topic (off by default)', default: false, parse: bool } as EnvVar<boolean>,
  PG2DDB_RECONCILE_CONFIRM_TIMEOUT_SECONDS: { description: 'how long confirmation waits for the pipeline to catch up', default: 60, parse: int(1, 3600) } as EnvVar<number>,
  PG2DDB_RECONCILE_PAGE_SIZE: { description: 'rows per Postgres keyset page', default: 1000, parse: int(10, 100_000) } as EnvVar<number>,
  PG2DDB_RECONCILE_SCAN_SEGMENTS: { description: 'DynamoDB scan segments read at once (a large table is split into ~5,000-item segments)', default: 8, parse: int(1, 1_000_000) } as EnvVar<number>,
  PG2DDB_RECONCILE_CONCURRENCY: { description: 'BatchGetItem calls in flight', default: 4, parse: int(1, 256) } as EnvVar<number>,
  PG2DDB_RECONCILE_MAX_ROWS_PER_SECOND: {
    description: 'rows/items a run compares per second at most, to stay within the source and table spare capacity (0: no limit)',
    default: 0,
    parse: int(0, 10_000_000),
  } as EnvVar<number>,
  PG2DDB_RECONCILE_HISTORY: { description: 'keep run history in pg2ddb.reconciliation_runs (migrates the pg2ddb schema at boot)', default: true, parse: bool } as EnvVar<boolean>,
  PG2DDB_SLOT_NAME: optional("the connector's replication slot (default: derived from the topic prefix)"),
  PG2DDB_CONNECT_URL: { description: "Kafka Connect REST URL: when set, /metrics reports the connector's and its tasks' state (pg2ddb_connector_state)", default: undefined, parse: parsers.url } as EnvVar<string | undefined>,
  PG2DDB_CONNECT_USERNAME: connectEnv.PG2DDB_CONNECT_USERNAME,
  PG2DDB_CONNECT_PASSWORD: connectEnv.PG2DDB_CONNECT_PASSWORD,
  PG2DDB_RECONCILE_ENDPOINT: { description: 'serve POST /reconcile (needs PG2DDB_RECONCILER_TOKEN)', default: false, parse: bool } as EnvVar<boolean>,
  PG2DDB_RECONCILER_TOKEN: { description: 'bearer token of POST /reconcile (at least 16 characters)', secret: true, default: undefined, parse: string } as EnvVar<string | undefined>,
  PG2DDB_REPAIR_TOKEN: {
    description: 'bearer token that may also repair (a run with repair); the PG2DDB_RECONCILER_TOKEN alone is refused repair (403). At least 16 characters',
    secret: true,
    default: undefined,
    parse: string,
  } as EnvVar<string | undefined>,
};

export type ReconcilerConfig = ReturnType<typeof readReconcilerConfig>;

/** Reads the reconciler's configuration; throws a ConfigError naming every bad variable. */
export function readReconcilerConfig(env: Record<string, string | undefined> = process.env) {
  const config = readEnv(reconcilerEnv, env);
  const problems: string[] = [];
  if (config.PG2DDB_RECONCILE_ENDPOINT && !config.PG2DDB_RECONCILER_TOKEN) {
    problems.push('PG2DDB_RECONCILE_ENDPOINT=true needs PG2DDB_RECONCILER_TOKEN: the endpoint is never served without authentication');
  }
  if (config.PG2DDB_RECONCILER_TOKEN !== undefined && config.PG2DDB_RECONCILER_TOKEN.length < 16) {
    problems.push('PG2DDB_RECONCILER_TOKEN=*** is invalid: use at least 16 characters');
  }
  if (config.PG2DDB_REPAIR_TOKEN !== undefined && config.PG2DDB_REPAIR_TOKEN.length < 16) {
    problems.push('PG2DDB_REPAIR_TOKEN=*** is invalid: use at least 16 characters');
  }
  if (config.PG2DDB_REPAIR_TOKEN !== undefined && config.PG2DDB_REPAIR_TOKEN === config.PG2DDB_RECONCILER_TOKEN) {
    problems.push('PG2DDB_REPAIR_TOKEN=*** must differ from PG2DDB_RECONCILER_TOKEN: repair is a separate permission');
  }
  if (config.PG2DDB_RECONCILE_MODE === 'recent' && !config.PG2DDB_RECONCILE_RECENT_COLUMN) {
    problems.push('PG2DDB_RECONCILE_MODE=recent needs PG2DDB_RECONCILE_RECENT_COLUMN');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
