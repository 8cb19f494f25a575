import { dynamoEnv, kafkaEnv, parsers, postgresEnv, readEnv, serviceEnv } from '@pg2ddb/config';

const { bool, int, oneOf } = parsers;

/** Everything the DynamoDB source (the way back) reads from its environment, validated at boot. */
export const ddbSourceEnv = {
  ...kafkaEnv,
  ...postgresEnv,
  ...serviceEnv,
  ...dynamoEnv,
  PG2DDB_DDB_SOURCE_INITIAL_LOAD: {
    description: 'scan: load every item by parallel Scan, then stream; none: stream only (a rollback, where PostgreSQL already holds the data)',
    default: 'scan',
    parse: oneOf('scan', 'none'),
  },
  PG2DDB_DDB_SOURCE_SCAN_SEGMENTS: { description: 'parallel Scan segments (at least; more for a big table)', default: 4, parse: int(1, 4096) },
  PG2DDB_DDB_SOURCE_SCAN_CONCURRENCY: { description: 'Scan segments read at once', default: 2, parse: int(1, 64) },
  PG2DDB_DDB_SOURCE_PAGE_SIZE: { description: 'items per Scan page', default: 500, parse: int(1, 10_000) },
  PG2DDB_DDB_SOURCE_POLL_MS: { description: 'wait between stream polls that found nothing', default: 500, parse: int(10, 60_000) },
  PG2DDB_DDB_SOURCE_ENABLE_STREAM: { description: "enable the table's stream (NEW_AND_OLD_IMAGES) when it has none", default: true, parse: bool },
  PG2DDB_DDB_CHANGES_PARTITIONS: { description: 'partitions of <prefix>.ddb.<table> when the source creates it', default: 6, parse: int(1, 1000) },
};

export type DdbSourceConfig = ReturnType<typeof readDdbSourceConfig>;

/** Reads the DynamoDB source's configuration; throws a ConfigError naming every bad variable. */
export function readDdbSourceConfig(env: Record<string, string | undefined> = process.env) {
  return readEnv(ddbSourceEnv, env);
}
