import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { ddbChangeTopic, topicNames } from '@pg2ddb/contracts';
import { createKafka, ensureTopics , kafkaSecurity, verifyKafkaAccess } from '@pg2ddb/kafka';
import { compileMapping, loadMapping } from '@pg2ddb/mapping';
import { createPgPool, migratePg2ddbSchema } from '@pg2ddb/postgres';
import { bootstrapService, Readiness, StructuredLogger } from '@pg2ddb/service';

import { readDdbSourceConfig } from './ddb-source-config';
import { DdbSourceModule } from './ddb-source.module';
import { DdbSourceRunner } from './ddb-source.runner';

async function main(): Promise<void> {
  const config = readDdbSourceConfig();
  const logger = new StructuredLogger('ddb-source', config.PG2DDB_LOG_FORMAT, config.PG2DDB_LOG_LEVEL);
  const file = config.PG2DDB_MAPPING_FILE;
  const mapping = compileMapping(loadMapping(readFileSync(file, 'utf8'), file), file);
  const connection = {
    host: config.PG2DDB_PG_HOST,
    port: config.PG2DDB_PG_PORT,
    user: config.PG2DDB_PG_USER,
    password: config.PG2DDB_PG_PASSWORD,
    database: config.PG2DDB_PG_DATABASE,
  };
  const pool = createPgPool(connection, { application_name: 'pg2ddb-ddb-source' });
  await migratePg2ddbSchema(pool, connection);
  const kafka = createKafka({ brokers: config.PG2DDB_KAFKA_BROKERS, clientId: `${config.PG2DDB_KAFKA_CLIENT_ID}-ddb-source`, logger, ...kafkaSecurity(config) });
  // A refused password or an untrusted broker certificate stops the boot with the setting to fix.
  await verifyKafkaAccess(kafka, config);
  await ensureTopics(kafka, [ddbChangeTopic(config.PG2DDB_TOPIC_PREFIX, mapping.table.name)], config.PG2DDB_DDB_CHANGES_PARTITIONS);
  await ensureTopics(kafka, [topicNames(config.PG2DDB_TOPIC_PREFIX).dlq]);
  const app = await bootstrapService({ name: 'ddb-source', module: DdbSourceModule.forRoot(config, mapping, kafka, pool), logger, httpPort: config.PG2DDB_HTTP_PORT, httpHost: config.PG2DDB_HTTP_HOST });
  const runner = app.get(DdbSourceRunner);
  app.get(Readiness).add({ name: 'ddb-source', check: () => runner.isReady() });
}

main().catch((error: unknown) => {
  process.stderr.write(`ddb-source failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
