import { kafkaEnv, parsers, postgresEnv, readEnv, serviceEnv } from '@pg2ddb/config';

const { int } = parsers;

/** Everything the PostgreSQL writer (the way back) reads from its environment, validated at boot. */
export const pgWriterEnv = {
  ...kafkaEnv,
  ...postgresEnv,
  ...serviceEnv,
  PG2DDB_DDB_CHANGES_PARTITIONS: { description: 'partitions of <prefix>.ddb.<table> when pg2ddb creates it (the DynamoDB source uses the same)', default: 6, parse: int(1, 1000) },
  PG2DDB_PG_WRITER_PARTITIONS_CONCURRENTLY: { description: 'partitions of <prefix>.ddb.<table> applied at once (one transaction each)', default: 2, parse: int(1, 64) },
  PG2DDB_PG_WRITER_POOL_SIZE: { description: 'PostgreSQL connections of the writer', default: 4, parse: int(1, 100) },
  PG2DDB_PG_WRITER_RETRY_MAX_MS: { description: 'cap of the wait before a batch is retried after PostgreSQL was unavailable', default: 5000, parse: int(1, 600_000) },
  PG2DDB_PG_WRITER_SHUTDOWN_TIMEOUT_MS: {
    description: 'on SIGTERM, how long an in-flight batch may take to finish (its offsets stay uncommitted otherwise)',
    default: 20_000,
    parse: int(0, 600_000),
  },
};

export type PgWriterConfig = ReturnType<typeof readPgWriterConfig>;

/** Reads the PostgreSQL writer's configuration; throws a ConfigError naming every bad variable. */
export function readPgWriterConfig(env: Record<string, string | undefined> = process.env) {
  return readEnv(pgWriterEnv, env);
}
