import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createKafka, kafkaSecurity } from '@pg2ddb/kafka';
import { compileMapping, loadMapping } from '@pg2ddb/mapping';
import { bootstrapService, StructuredLogger } from '@pg2ddb/service';
import { readStatusConfig } from './status-config';
import { StatusModule } from './status.module';

async function main(): Promise<void> {
  const config = readStatusConfig();
  const logger = new StructuredLogger('status', config.PG2DDB_LOG_FORMAT, config.PG2DDB_LOG_LEVEL);
  const file = config.PG2DDB_MAPPING_FILE;
  const mapping = compileMapping(loadMapping(readFileSync(file, 'utf8'), file), file);
  // Fails fast on unreachable brokers: a reading must never hang the page.
  const kafka = createKafka({
    brokers: config.PG2DDB_KAFKA_BROKERS,
    clientId: `${config.PG2DDB_KAFKA_CLIENT_ID}-status`,
    logger,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    ...kafkaSecurity(config),
  });
  await bootstrapService({ name: 'status', module: StatusModule.forRoot(config, mapping, kafka), logger,
    httpPort: config.PG2DDB_HTTP_PORT, httpHost: config.PG2DDB_HTTP_HOST, adminPort: config.PG2DDB_ADMIN_PORT, adminHost: config.PG2DDB_ADMIN_HOST });
}

main().catch((error: unknown) => {
  process.stderr.write(`status failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
