import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { ddbChangeTopic, topicNames } from '@pg2ddb/contracts';
import { createKafka, ensureTopics, KafkaBatchServer , kafkaSecurity, verifyKafkaAccess } from '@pg2ddb/kafka';
import { compileInverse, compileMapping, loadMapping } from '@pg2ddb/mapping';
import { migratePg2ddbSchema } from '@pg2ddb/postgres';
import { bootstrapService, Readiness, StructuredLogger } from '@pg2ddb/service';

import { readPgWriterConfig } from './pg-writer-config';
import { pgWriterPool, PgWriterModule } from './pg-writer.module';

async function main(): Promise<void> {
  const config = readPgWriterConfig();
  const logger = new StructuredLogger('pg-writer', config.PG2DDB_LOG_FORMAT, config.PG2DDB_LOG_LEVEL);
  const file = config.PG2DDB_MAPPING_FILE;
  const inverse = compileInverse(compileMapping(loadMapping(readFileSync(file, 'utf8'), file), file));
  const blocked = inverse.entities.filter((e) => !e.invertible);
  for (const entity of blocked) logger.warn(`entity ${entity.entity.name} is not invertible; its items are dead-lettered: ${entity.reasons.join('; ')}`);
  const pool = pgWriterPool(config);
  await migratePg2ddbSchema(pool, {
    host: config.PG2DDB_PG_HOST,
    port: config.PG2DDB_PG_PORT,
    user: config.PG2DDB_PG_USER,
    password: config.PG2DDB_PG_PASSWORD,
    database: config.PG2DDB_PG_DATABASE,
  });
  const kafka = createKafka({ brokers: config.PG2DDB_KAFKA_BROKERS, clientId: `${config.PG2DDB_KAFKA_CLIENT_ID}-pg-writer`, logger, ...kafkaSecurity(config) });
  // A refused password or an untrusted broker certificate stops the boot with the setting to fix.
  await verifyKafkaAccess(kafka, config);
  const topic = ddbChangeTopic(config.PG2DDB_TOPIC_PREFIX, inverse.compiled.table.name);
  await bootstrapService({
    name: 'pg-writer',
    module: PgWriterModule.forRoot(config, inverse, kafka, pool),
    logger,
    httpPort: config.PG2DDB_HTTP_PORT, httpHost: config.PG2DDB_HTTP_HOST,
    transport: (app) => {
      const server = new KafkaBatchServer({
        kafka,
        groupId: `${config.PG2DDB_TOPIC_PREFIX}.pg-writer`,
        subscriptions: [{ pattern: 'ddb-changes', topics: [topic], fromBeginning: true }],
        partitionsConsumedConcurrently: config.PG2DDB_PG_WRITER_PARTITIONS_CONCURRENTLY,
        shutdownTimeoutMs: config.PG2DDB_PG_WRITER_SHUTDOWN_TIMEOUT_MS,
        retry: { initialMs: 200, maxMs: config.PG2DDB_PG_WRITER_RETRY_MAX_MS },
        beforeSubscribe: async () => {
          await ensureTopics(kafka, [topic], config.PG2DDB_DDB_CHANGES_PARTITIONS);
          await ensureTopics(kafka, [topicNames(config.PG2DDB_TOPIC_PREFIX).dlq]);
        },
      });
      app.get(Readiness).add({ name: 'kafka-consumer', check: () => server.isReady() });
      return server;
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`pg-writer failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
