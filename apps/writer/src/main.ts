import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { topicNames } from '@pg2ddb/contracts';
import { compileMapping, loadMapping } from '@pg2ddb/mapping';
import { assertWritesPartitions, createKafka, ensureTopics, KafkaBatchServer, partitionsMetadata, topicPolicy, topicSpec, WRITES_MAX_MESSAGE_BYTES , kafkaSecurity, verifyKafkaAccess } from '@pg2ddb/kafka';
import { bootstrapService, Liveness, Readiness, StructuredLogger, watchBatchRetries } from '@pg2ddb/service';
import { Registry } from 'prom-client';
import { readWriterConfig } from './writer-config';
import { WriterModule } from './writer.module';

async function main(): Promise<void> {
  const config = readWriterConfig();
  const logger = new StructuredLogger('writer', config.PG2DDB_LOG_FORMAT, config.PG2DDB_LOG_LEVEL);
  const file = config.PG2DDB_MAPPING_FILE;
  const mapping = compileMapping(loadMapping(readFileSync(file, 'utf8'), file), file);
  const kafka = createKafka({ brokers: config.PG2DDB_KAFKA_BROKERS, clientId: `${config.PG2DDB_KAFKA_CLIENT_ID}-writer`, logger, ...kafkaSecurity(config) });
  // A refused password or an untrusted broker certificate stops the boot with the setting to fix.
  await verifyKafkaAccess(kafka, config);
  const topics = topicNames(config.PG2DDB_TOPIC_PREFIX);
  const policy = topicPolicy(config);
  const groupId = `${config.PG2DDB_TOPIC_PREFIX}.writer`;
  let writesPartitions = 0;
  await bootstrapService({
    name: 'writer',
    module: WriterModule.forRoot(config, kafka, { table: mapping.table.name, maxEpoch: config.PG2DDB_SOURCE_EPOCH }),
    logger,
    httpPort: config.PG2DDB_HTTP_PORT, httpHost: config.PG2DDB_HTTP_HOST,
    transport: (app) => {
      const onBatchRetries = watchBatchRetries(app.get(Registry), app.get(Readiness), 'writer', config.PG2DDB_STUCK_BATCH_ATTEMPTS);
      const server = new KafkaBatchServer({
        onBatchRetries,
        stallMs: config.PG2DDB_STALL_TIMEOUT_MS,
        kafka,
        groupId,
        subscriptions: [{ pattern: 'writes', topics: [topics.writes], fromBeginning: true }],
        partitionsConsumedConcurrently: config.PG2DDB_WRITER_PARTITIONS_CONCURRENTLY,
        shutdownTimeoutMs: config.PG2DDB_WRITER_SHUTDOWN_TIMEOUT_MS,
        // A batch that could not be written is retried as a whole; cap the wait so the writer
        // resumes within seconds of DynamoDB coming back.
        retry: { initialMs: 200, maxMs: config.PG2DDB_WRITER_RETRY_MAX_MS },
        // A fetch must be able to hold the largest command <prefix>.writes accepts.
        consumer: { maxBytesPerPartition: WRITES_MAX_MESSAGE_BYTES, minBytes: config.PG2DDB_FETCH_MIN_BYTES, maxWaitTimeInMs: config.PG2DDB_FETCH_MAX_WAIT_MS },
        beforeSubscribe: async () => {
          await ensureTopics(kafka, [topics.writes], topicSpec('writes', policy, config.PG2DDB_WRITES_PARTITIONS));
          await ensureTopics(kafka, [topics.sweeps], topicSpec('writes', policy, 1));
          await ensureTopics(kafka, [topics.dlq], topicSpec('dlq', policy));
          // Refuses to start on a <prefix>.writes that gained partitions after items were written.
          writesPartitions = await assertWritesPartitions(kafka, groupId, topics.writes);
        },
        commitMetadata: () => partitionsMetadata(writesPartitions),
      });
      // Completed-snapshot sweeps scan a whole entity: a consumer group of their own, so a long
      // scan holds up no write (one kafkajs consumer fetches again only when its batches are done).
      const sweeps = new KafkaBatchServer({
        onBatchRetries,
        stallMs: config.PG2DDB_STALL_TIMEOUT_MS,
        kafka,
        groupId: `${config.PG2DDB_TOPIC_PREFIX}.sweeper`,
        subscriptions: [{ pattern: 'sweeps', topics: [topics.sweeps], fromBeginning: true }],
        partitionsConsumedConcurrently: 1,
        shutdownTimeoutMs: config.PG2DDB_WRITER_SHUTDOWN_TIMEOUT_MS,
        retry: { initialMs: 200, maxMs: config.PG2DDB_WRITER_RETRY_MAX_MS },
        beforeSubscribe: async () => {
          await ensureTopics(kafka, [topics.sweeps], topicSpec('writes', policy, 1));
          await ensureTopics(kafka, [topics.dlq], topicSpec('dlq', policy));
        },
      });
      app.get(Readiness).add({ name: 'kafka-consumer', check: () => server.isReady() });
      app.get(Liveness).add({ name: 'kafka-consumer', check: () => server.isLive() });
      app.get(Readiness).add({ name: 'kafka-sweeps-consumer', check: () => sweeps.isReady() });
      app.get(Liveness).add({ name: 'kafka-sweeps-consumer', check: () => sweeps.isLive() });
      return [server, sweeps];
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`writer failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
