import 'reflect-metadata';
import { topicNames } from '@pg2ddb/contracts';
import { createKafka, ensureTopics, KafkaBatchServer , kafkaSecurity, verifyKafkaAccess } from '@pg2ddb/kafka';
import { bootstrapService, Readiness, StructuredLogger } from '@pg2ddb/service';

import { readAlerterConfig } from './alerter-config';
import { AlerterModule } from './alerter.module';

async function main(): Promise<void> {
  const config = readAlerterConfig();
  const logger = new StructuredLogger('alerter', config.PG2DDB_LOG_FORMAT, config.PG2DDB_LOG_LEVEL);
  const prefix = config.PG2DDB_TOPIC_PREFIX;
  const drift = topicNames(prefix).drift;
  const kafka = createKafka({ brokers: config.PG2DDB_KAFKA_BROKERS, clientId: `${config.PG2DDB_KAFKA_CLIENT_ID}-alerter`, logger, ...kafkaSecurity(config) });
  // A refused password or an untrusted broker certificate stops the boot with the setting to fix.
  await verifyKafkaAccess(kafka, config);
  await bootstrapService({
    name: 'alerter',
    module: AlerterModule.forRoot(config),
    logger,
    httpPort: config.PG2DDB_HTTP_PORT, httpHost: config.PG2DDB_HTTP_HOST,
    transport: (app) => {
      const server = new KafkaBatchServer({
        kafka,
        groupId: `${prefix}.alerter`,
        subscriptions: [{ pattern: 'drift', topics: [drift], fromBeginning: config.PG2DDB_ALERTER_FROM_BEGINNING }],
        // One partition at a time: the planner's state is shared by all partitions.
        partitionsConsumedConcurrently: 1,
        beforeSubscribe: () => ensureTopics(kafka, [drift]),
      });
      app.get(Readiness).add({ name: 'kafka-consumer', check: () => server.isReady() });
      return server;
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`alerter failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
