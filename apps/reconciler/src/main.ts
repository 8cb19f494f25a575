import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createKafka , kafkaSecurity, verifyKafkaAccess } from '@pg2ddb/kafka';
import { compileMapping, loadMapping } from '@pg2ddb/mapping';
import { bootstrapService, StructuredLogger } from '@pg2ddb/service';
import { readReconcilerConfig } from './reconciler-config';
import { ReconcilerModule } from './reconciler.module';

async function main(): Promise<void> {
  const config = readReconcilerConfig();
  const logger = new StructuredLogger('reconciler', config.PG2DDB_LOG_FORMAT, config.PG2DDB_LOG_LEVEL);
  const file = config.PG2DDB_MAPPING_FILE;
  const mapping = compileMapping(loadMapping(readFileSync(file, 'utf8'), file), file);
  const kafka = createKafka({ brokers: config.PG2DDB_KAFKA_BROKERS, clientId: `${config.PG2DDB_KAFKA_CLIENT_ID}-reconciler`, logger, ...kafkaSecurity(config) });
  // A refused password or an untrusted broker certificate stops the boot with the setting to fix.
  await verifyKafkaAccess(kafka, config);
  await bootstrapService({ name: 'reconciler', module: ReconcilerModule.forRoot(config, mapping, kafka), logger,
    httpPort: config.PG2DDB_HTTP_PORT, httpHost: config.PG2DDB_HTTP_HOST, adminPort: config.PG2DDB_ADMIN_PORT, adminHost: config.PG2DDB_ADMIN_HOST });
  // Say which admin actions are served, so a missing token is seen at boot rather than as a 404.
  if (!config.PG2DDB_RECONCILE_ENDPOINT) logger.log('admin endpoint POST /reconcile is off (PG2DDB_RECONCILE_ENDPOINT=false; it needs PG2DDB_RECONCILER_TOKEN)');
  else if (!config.PG2DDB_REPAIR_TOKEN) logger.log('admin endpoint POST /reconcile is on; repair over HTTP is off (no PG2DDB_REPAIR_TOKEN)');
  else logger.log('admin endpoint POST /reconcile is on, repair with PG2DDB_REPAIR_TOKEN');
}

main().catch((error: unknown) => {
  process.stderr.write(`reconciler failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
