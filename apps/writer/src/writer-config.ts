import { dynamoEnv, kafkaEnv, parsers, readEnv, serviceEnv } from '@pg2ddb/config';

const { int } = parsers;

/** Everything the writer reads from its environment, validated at boot. */
export const writerEnv = {
  ...kafkaEnv,
  ...dynamoEnv,
  PG2DDB_HTTP_PORT: serviceEnv.PG2DDB_HTTP_PORT,
  PG2DDB_LOG_FORMAT: serviceEnv.PG2DDB_LOG_FORMAT,
  PG2DDB_LOG_LEVEL: serviceEnv.PG2DDB_LOG_LEVEL,
  PG2DDB_WRITER_CONCURRENCY: { description: 'DynamoDB writes in flight per partition batch', default: 32, parse: int(1, 1024) },
  PG2DDB_WRITER_PARTITIONS_CONCURRENTLY: { description: 'write-topic partitions processed at once', default: 4, parse: int(1, 256) },
  PG2DDB_WRITER_MAX_ATTEMPTS: { description: 'attempts per write before the batch is retried as a whole', default: 8, parse: int(1, 100) },
};

export type WriterConfig = ReturnType<typeof readWriterConfig>;

/** Reads the writer's configuration; throws a ConfigError naming every bad variable. */
export function readWriterConfig(env: Record<string, string | undefined> = process.env) {
  return readEnv(writerEnv, env);
}
