import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createDynamoClient } from '@pg2ddb/dynamo';
import { dynamoClientProvider, KAFKA_PRODUCER, kafkaProducerProvider, ServiceModule } from '@pg2ddb/service';
import type { Kafka, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import type { WriteScope } from './decode-commands';
import { DYNAMO_CLIENT, SWEEP_DYNAMO_CLIENT, WRITE_SCOPE, WRITER_CONFIG } from './tokens';
import { SweepBatchHandler } from './sweep-batch.handler';
import { WriteBatchHandler } from './write-batch.handler';
import type { WriterConfig } from './writer-config';
import { WriterMetrics } from './writer-metrics';

/** Wires the writer: DynamoDB client, DLQ producer, metrics, the write and the sweep batch handlers. */
@Module({})
export class WriterModule implements OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(SWEEP_DYNAMO_CLIENT) private readonly sweepDynamo: DynamoDBClient,
  ) {}

  static forRoot(config: WriterConfig, kafka: Kafka, scope: WriteScope): DynamicModule {
    return {
      module: WriterModule,
      imports: [ServiceModule],
      controllers: [WriteBatchHandler, SweepBatchHandler],
      providers: [
        { provide: WRITER_CONFIG, useValue: config },
        { provide: WRITE_SCOPE, useValue: scope },
        dynamoClientProvider(DYNAMO_CLIENT, {
          endpoint: config.PG2DDB_DYNAMO_ENDPOINT,
          region: config.AWS_REGION,
          maxAttempts: config.PG2DDB_DYNAMO_SDK_MAX_ATTEMPTS,
          requestTimeoutMs: config.PG2DDB_DYNAMO_REQUEST_TIMEOUT_MS,
        }),
        {
          provide: SWEEP_DYNAMO_CLIENT,
          useFactory: () =>
            createDynamoClient({
              endpoint: config.PG2DDB_DYNAMO_ENDPOINT,
              region: config.AWS_REGION,
              maxAttempts: config.PG2DDB_DYNAMO_SDK_MAX_ATTEMPTS,
              requestTimeoutMs: config.PG2DDB_SWEEP_REQUEST_TIMEOUT_MS,
            }),
        },
        kafkaProducerProvider(kafka),
        { provide: WriterMetrics, inject: [Registry], useFactory: (registry: Registry) => new WriterMetrics(registry) },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    this.dynamo.destroy();
    this.sweepDynamo.destroy();
  }
}

