import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { createPgPool } from '@pg2ddb/postgres';
import { cachedProbe, dynamoClientProvider, Readiness, ServiceModule } from '@pg2ddb/service';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { CountReconciliation } from './count-reconciliation';
import type { ReconcilerConfig } from './reconciler-config';
import { COMPILED_MAPPING, DYNAMO_CLIENT, KAFKA_PRODUCER, PG_POOL, RECONCILER_CONFIG } from './tokens';

/** Wires the reconciler: Postgres pool, DynamoDB client, drift producer and the periodic check. */
@Module({})
export class ReconcilerModule implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pg: Pool,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
  ) {}

  static forRoot(config: ReconcilerConfig, mapping: CompiledMapping, kafka: Kafka): DynamicModule {
    return {
      module: ReconcilerModule,
      imports: [ServiceModule],
      providers: [
        CountReconciliation,
        { provide: RECONCILER_CONFIG, useValue: config },
        { provide: COMPILED_MAPPING, useValue: mapping },
        {
          provide: PG_POOL,
          inject: [Readiness],
          useFactory: (readiness: Readiness) => {
            const pool = createPgPool({
              host: config.PG2DDB_PG_HOST,
              port: config.PG2DDB_PG_PORT,
              user: config.PG2DDB_PG_USER,
              password: config.PG2DDB_PG_PASSWORD,
              database: config.PG2DDB_PG_DATABASE,
            });
            readiness.add({ name: 'postgres', check: cachedProbe(() => pool.query('SELECT 1')) });
            return pool;
          },
        },
        dynamoClientProvider(DYNAMO_CLIENT, { endpoint: config.PG2DDB_DYNAMO_ENDPOINT, region: config.AWS_REGION }),
        {
          provide: KAFKA_PRODUCER,
          useFactory: async () => {
            const producer = kafka.producer({ allowAutoTopicCreation: true });
            await producer.connect();
            return producer;
          },
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.pg.end();
    this.dynamo.destroy();
  }
}
