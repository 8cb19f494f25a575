import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { InverseMapping } from '@pg2ddb/mapping';
import { createPgPool } from '@pg2ddb/postgres';
import { KAFKA_PRODUCER, kafkaProducerProvider, ServiceModule } from '@pg2ddb/service';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';

import { ApplyChangesHandler } from './apply-changes.handler';
import type { PgWriterConfig } from './pg-writer-config';
import { INVERSE_MAPPING, PG_POOL, PG_WRITER_CONFIG } from './tokens';

/** Wires the PostgreSQL writer: pool, DLQ producer, inverse mapping and the batch handler. */
@Module({})
export class PgWriterModule implements OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  static forRoot(config: PgWriterConfig, inverse: InverseMapping, kafka: Kafka, pool: Pool): DynamicModule {
    return {
      module: PgWriterModule,
      imports: [ServiceModule],
      controllers: [ApplyChangesHandler],
      providers: [
        { provide: PG_WRITER_CONFIG, useValue: config },
        { provide: INVERSE_MAPPING, useValue: inverse },
        { provide: PG_POOL, useValue: pool },
        kafkaProducerProvider(kafka),
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.pool.end();
  }
}

/** The writer's pool (exported for main). */
export function pgWriterPool(config: PgWriterConfig): Pool {
  return createPgPool(
    { host: config.PG2DDB_PG_HOST, port: config.PG2DDB_PG_PORT, user: config.PG2DDB_PG_USER, password: config.PG2DDB_PG_PASSWORD, database: config.PG2DDB_PG_DATABASE },
    { max: config.PG2DDB_PG_WRITER_POOL_SIZE, application_name: 'pg2ddb-pg-writer' },
  );
}
