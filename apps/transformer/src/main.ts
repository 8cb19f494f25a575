import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { changeTopic, topicNames } from '@pg2ddb/contracts';
import { createKafka, ensureTopics, KafkaBatchServer, topicPolicy, topicSpec , kafkaSecurity, verifyKafkaAccess } from '@pg2ddb/kafka';
import { compileMapping, loadMapping } from '@pg2ddb/mapping';
import { bootstrapService, Liveness, Readiness, StructuredLogger, watchBatchRetries } from '@pg2ddb/service';
import { Registry } from 'prom-client';
import { readTransformerConfig } from './transformer-config';
import { TransformerModule } from './transformer.module';

async function main(): Promise<void> {
  const config = readTransformerConfig();
  const logger = new StructuredLogger('transformer', config.PG2DDB_LOG_FORMAT, config.PG2DDB_LOG_LEVEL);
  const file = config.PG2DDB_MAPPING_FILE;
  const mapping = compileMapping(loadMapping(readFileSync(file, 'utf8'), file), file);
  const prefix = config.PG2DDB_TOPIC_PREFIX;
  const sources = mapping.sourceTables().map(({ schema, table }) => changeTopic(prefix, schema, table));
  const kafka = createKafka({ brokers: config.PG2DDB_KAFKA_BROKERS, clientId: `${config.PG2DDB_KAFKA_CLIENT_ID}-transformer`, logger, ...kafkaSecurity(config) });
  // A refused password or an untrusted broker certificate stops the boot with the setting to fix.
  await verifyKafkaAccess(kafka, config);
  const topics = topicNames(prefix);
  const policy = topicPolicy(config);
  await bootstrapService({
    name: 'transformer',
    module: TransformerModule.forRoot(config, mapping, kafka),
    logger,
    httpPort: config.PG2DDB_HTTP_PORT, httpHost: config.PG2DDB_HTTP_HOST,
    transport: (app) => {
      const onBatchRetries = watchBatchRetries(app.get(Registry), app.get(Readiness), 'transformer', config.PG2DDB_STUCK_BATCH_ATTEMPTS);
      const server = new KafkaBatchServer({
        onBatchRetries,
        stallMs: config.PG2DDB_STALL_TIMEOUT_MS,
        kafka,
        groupId: `${prefix}.transformer`,
        subscriptions: [{ pattern: 'changes', topics: sources, fromBeginning: true }],
        partitionsConsumedConcurrently: config.PG2DDB_TRANSFORMER_PARTITIONS_CONCURRENTLY,
        // A fetch must be able to hold the largest event the change topics accept.
        consumer: {
          maxBytesPerPartition: policy.maxEventBytes,
          maxBytes: Math.max(policy.maxEventBytes, 10 * 1024 * 1024),
          minBytes: config.PG2DDB_FETCH_MIN_BYTES,
          maxWaitTimeInMs: config.PG2DDB_FETCH_MAX_WAIT_MS,
        },
        // Debezium creates a table's topic on its first event, and kafkajs cannot subscribe to a
        // topic that does not exist yet: an empty table's topic is created here, with exactly the
        // settings the connector gives Debezium's topic.creation.default.* (same policy).
        beforeSubscribe: async () => {
          await ensureTopics(kafka, sources, topicSpec('change', policy));
          await ensureTopics(kafka, [topics.dlq], topicSpec('dlq', policy));
          await ensureTopics(kafka, [topics.writes], topicSpec('writes', policy, config.PG2DDB_WRITES_PARTITIONS));
        },
      });
      app.get(Readiness).add({ name: 'kafka-consumer', check: () => server.isReady() });
      app.get(Liveness).add({ name: 'kafka-consumer', check: () => server.isLive() });
      return server;
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`transformer failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
