import { consumerEnv, dynamoEnv, kafkaEnv, parsers, readEnv, serviceEnv, sourceEnv, topicsEnv } from '@pg2ddb/config';

const { int } = parsers;

/** Everything the writer reads from its environment, validated at boot. */
export const writerEnv = {
  ...kafkaEnv,
  ...topicsEnv,
  ...consumerEnv,
  ...dynamoEnv,
  ...sourceEnv,
  // The writer writes only to the mapping's table (and its tombstone table): see decode-commands.ts.
  PG2DDB_MAPPING_FILE: serviceEnv.PG2DDB_MAPPING_FILE,
  PG2DDB_HTTP_PORT: serviceEnv.PG2DDB_HTTP_PORT,
  PG2DDB_HTTP_HOST: serviceEnv.PG2DDB_HTTP_HOST,
  PG2DDB_LOG_FORMAT: serviceEnv.PG2DDB_LOG_FORMAT,
  PG2DDB_LOG_LEVEL: serviceEnv.PG2DDB_LOG_LEVEL,
  PG2DDB_REDACT_VALUES: serviceEnv.PG2DDB_REDACT_VALUES,
  PG2DDB_WRITER_CONCURRENCY: { description: 'DynamoDB requests in flight per partition batch', default: 8, parse: int(1, 1024) },
  PG2DDB_WRITER_PARTITIONS_CONCURRENTLY: { description: 'write-topic partitions processed at once', default: 4, parse: int(1, 256) },
  PG2DDB_WRITER_MAX_ATTEMPTS: {
    description: 'attempts per DynamoDB request (throttling, unprocessed items, faults) before the batch is retried as a whole',
    default: 8,
    parse: int(1, 100),
  },
  PG2DDB_WRITER_RETRY_BASE_MS: { description: 'first retry delay ceiling; doubles per attempt (full jitter)', default: 50, parse: int(1, 60_000) },
  PG2DDB_WRITER_RETRY_MAX_MS: { description: 'cap of one retry delay', default: 5000, parse: int(1, 600_000) },
  PG2DDB_WRITER_UNKNOWN_ERROR_BATCH_ATTEMPTS: {
    description: 'attempts at a whole batch before a command failing with an unrecognised DynamoDB error (DYNAMO_UNKNOWN) is dead-lettered instead of retried',
    default: 5,
    parse: int(1, 1000),
  },
  PG2DDB_DYNAMO_SDK_MAX_ATTEMPTS: {
    description: "attempts the AWS SDK makes per request before the writer's own retries see the error (they multiply)",
    default: 2,
    parse: int(1, 10),
  },
  PG2DDB_DYNAMO_REQUEST_TIMEOUT_MS: { description: 'abandon one DynamoDB request (and retry it) after this long', default: 15_000, parse: int(100, 600_000) },
  PG2DDB_SWEEP_REQUEST_TIMEOUT_MS: {
    description: "abandon one Scan page of a completed snapshot's sweep after this long (a sweep runs in the background; an emulator's page of a large table can take a minute)",
    default: 300_000,
    parse: int(1000, 3_600_000),
  },
  PG2DDB_WRITER_VERSION_CACHE_ITEMS: {
    description:
      "stored versions remembered per owned partition (~450 bytes each), so the version guard's read is skipped for items the writer read or wrote itself (dropped on any rebalance). Off (0) by default: only sound when nothing but this writer changes the table's items (no second pipeline, no manual or restore edits, no Global Tables replica writing); try 5000 then",
    default: 0,
    parse: int(0, 10_000_000),
  },
  PG2DDB_WRITER_TOMBSTONE_TTL_DAYS: {
    description: 'days a delete is remembered, refusing older commands of the item (e.g. a late DLQ replay)',
    default: 30,
    parse: int(1, 3650),
  },
  PG2DDB_WRITER_SHUTDOWN_TIMEOUT_MS: {
    description: 'on SIGTERM, how long in-flight batches may take to finish before they are abandoned (their offsets stay uncommitted)',
    default: 20_000,
    parse: int(0, 600_000),
  },
};

export type WriterConfig = ReturnType<typeof readWriterConfig>;

/** Reads the writer's configuration; throws a ConfigError naming every bad variable. */
export function readWriterConfig(env: Record<string, string | undefined> = process.env) {
  return readEnv(writerEnv, env);
}
