import { adminPortEnv, ConfigError, connectEnv, dynamoEnv, kafkaEnv, parsers, postgresEnv, readEnv, serviceEnv, type EnvVar } from '@pg2ddb/config';

const { int, list, string } = parsers;

/** Everything the status service reads from its environment, validated at boot. */
export const statusEnv = {
  ...kafkaEnv,
  ...dynamoEnv,
  ...postgresEnv,
  ...serviceEnv,
  ...adminPortEnv,
  ...connectEnv,
  PG2DDB_STATUS_ADMIN_TOKEN: {
    description: 'bearer token the page must send for actions (pause/resume/restart, DLQ replay); unset: the page is read-only',
    secret: true,
    default: undefined,
    parse: string,
  } as EnvVar<string | undefined>,
  PG2DDB_STATUS_SAMPLE_SECONDS: { description: 'seconds between two readings of the pipeline (each counts rows and items)', default: 10, parse: int(1, 3600) } as EnvVar<number>,
  PG2DDB_STATUS_WRITER_METRICS_URLS: {
    description: "the writers' /metrics URLs, comma-separated, for the commit→visible lag plot",
    default: [],
    parse: list,
  } as EnvVar<string[]>,
  PG2DDB_SLOT_NAME: { description: "the connector's replication slot (default: derived from the topic prefix)", default: undefined, parse: string } as EnvVar<string | undefined>,
};

export type StatusConfig = ReturnType<typeof readStatusConfig>;

/** Reads the status service's configuration; throws a ConfigError naming every bad variable. */
export function readStatusConfig(env: Record<string, string | undefined> = process.env) {
  const config = readEnv(statusEnv, env);
  if (config.PG2DDB_STATUS_ADMIN_TOKEN !== undefined && config.PG2DDB_STATUS_ADMIN_TOKEN.length < 16) {
    throw new ConfigError(['PG2DDB_STATUS_ADMIN_TOKEN=*** is invalid: use at least 16 characters']);
  }
  return config;
}
