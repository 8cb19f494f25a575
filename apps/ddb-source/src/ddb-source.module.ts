import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createStreamsClient } from '@pg2ddb/dynamo';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { dynamoClientProvider, KAFKA_PRODUCER, kafkaProducerProvider, ServiceModule } from '@pg2ddb/service';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';

import type { DdbSourceConfig } from './ddb-source-config';
import { DdbSourceRunner } from './ddb-source.runner';
import { DDB_SOURCE_CONFIG, DYNAMO_CLIENT, MAPPING, PG_POOL, STREAMS_CLIENT } from './tokens';

/** Wires the DynamoDB source: DynamoDB and Streams clients, the producer, the checkpoint pool and the runner. */
@Module({})
export class DdbSourceModule implements OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(STREAMS_CLIENT) private readonly streams: DynamoDBStreamsClient,
  ) {}

  static forRoot(config: DdbSourceConfig, mapping: CompiledMapping, kafka: Kafka, pool: Pool): DynamicModule {
    return {
      module: DdbSourceModule,
      imports: [ServiceModule],
      providers: [
        { provide: DDB_SOURCE_CONFIG, useValue: config },
        { provide: MAPPING, useValue: mapping },
        { provide: PG_POOL, useValue: pool },
        dynamoClientProvider(DYNAMO_CLIENT, { endpoint: config.PG2DDB_DYNAMO_ENDPOINT, region: config.AWS_REGION, maxAttempts: 3, requestTimeoutMs: 15_000 }),
        { provide: STREAMS_CLIENT, useFactory: () => createStreamsClient({ ...(config.PG2DDB_DYNAMO_ENDPOINT ? { endpoint: config.PG2DDB_DYNAMO_ENDPOINT } : {}), region: config.AWS_REGION, maxAttempts: 3 }) },
        kafkaProducerProvider(kafka, { idempotent: true }),
        DdbSourceRunner,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.pool.end();
    this.dynamo.destroy();
    this.streams.destroy();
  }
}
