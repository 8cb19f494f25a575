import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { createPgPool, migratePg2ddbSchema, pgSsl } from '@pg2ddb/postgres';
import { cachedProbe, dynamoClientProvider, KAFKA_PRODUCER, kafkaProducerProvider, Readiness, ServiceModule } from '@pg2ddb/service';
import { connectorName } from '@pg2ddb/kafka';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { Registry } from 'prom-client';
import { ReconcileController } from './reconcile.controller';
import type { ReconcilerConfig } from './reconciler-config';
import { ReconciliationService } from './reconciliation.service';
import { SourceHealthMetrics } from './source-health-metrics';
import { COMPILED_MAPPING, DYNAMO_CLIENT, KAFKA, PG_POOL, RECONCILER_CONFIG } from './tokens';

/** Wires the reconciler: Postgres pool, DynamoDB client, drift producer, the scheduled and on-demand runs, the source-health metrics. */
@Module({})
export class ReconcilerModule implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pg: Pool,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
  ) {}

  static forRoot(config: ReconcilerConfig, mapping: CompiledMapping, kafka: Kafka): DynamicModule {
    const connection = {
      host: config.PG2DDB_PG_HOST,
      port: config.PG2DDB_PG_PORT,
      user: config.PG2DDB_PG_USER,
      password: config.PG2DDB_PG_PASSWORD,
      database: config.PG2DDB_PG_DATABASE,
      ssl: pgSsl(config.PG2DDB_PG_SSLMODE, config.PG2DDB_PG_SSL_ROOT_CERT),
    };
    return {
      module: ReconcilerModule,
      imports: [ServiceModule],
      // The on-demand endpoint exists only when enabled; config validation ensured a token.
      controllers: config.PG2DDB_RECONCILE_ENDPOINT && config.PG2DDB_RECONCILER_TOKEN ? [ReconcileController] : [],
      providers: [
        ReconciliationService,
        { provide: RECONCILER_CONFIG, useValue: config },
        { provide: COMPILED_MAPPING, useValue: mapping },
        { provide: KAFKA, useValue: kafka },
        {
          provide: PG_POOL,
          inject: [Readiness],
          useFactory: async (readiness: Readiness) => {
            const pool = createPgPool(connection, { max: 6, application_name: 'pg2ddb-reconciler' });
            if (config.PG2DDB_RECONCILE_HISTORY) await migratePg2ddbSchema(pool, connection);
            readiness.add({ name: 'postgres', check: cachedProbe(() => pool.query('SELECT 1')) });
            return pool;
          },
        },
        {
          provide: SourceHealthMetrics,
          inject: [Registry, PG_POOL],
          useFactory: (registry: Registry, pool: Pool) =>
            new SourceHealthMetrics(
              registry,
              pool,
              config.PG2DDB_CONNECT_URL
                ? {
                    url: config.PG2DDB_CONNECT_URL,
                    connector: connectorName(config.PG2DDB_TOPIC_PREFIX),
                    ...(config.PG2DDB_CONNECT_USERNAME ? { auth: { username: config.PG2DDB_CONNECT_USERNAME, password: config.PG2DDB_CONNECT_PASSWORD ?? '' } } : {}),
                  }
                : undefined,
            ),
        },
        dynamoClientProvider(DYNAMO_CLIENT, { endpoint: config.PG2DDB_DYNAMO_ENDPOINT, region: config.AWS_REGION }),
        kafkaProducerProvider(kafka, { ordered: false }),
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.pg.end();
    this.dynamo.destroy();
  }
}
