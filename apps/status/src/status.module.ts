import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { connectorName, defaultSlotName } from '@pg2ddb/kafka';
import type { CompiledMapping } from '@pg2ddb/mapping';
import type { PipelineClients } from '@pg2ddb/ops';
import { createPgPool } from '@pg2ddb/postgres';
import { cachedProbe, Readiness, ServiceModule } from '@pg2ddb/service';
import { createDynamoClient } from '@pg2ddb/dynamo';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { StatusApiController } from './status-api.controller';
import type { StatusConfig } from './status-config';
import { StatusPageController } from './status-page.controller';
import { StatusSampler } from './status-sampler.service';
import { PIPELINE_CLIENTS, STATUS_CONFIG } from './tokens';

/** Wires the status service: the clients the readings use, the sampler, the page and its API. */
@Module({})
export class StatusModule implements OnApplicationShutdown {
  constructor(@Inject(PIPELINE_CLIENTS) private readonly clients: PipelineClients) {}

  static forRoot(config: StatusConfig, mapping: CompiledMapping, kafka: Kafka): DynamicModule {
    return {
      module: StatusModule,
      imports: [ServiceModule],
      controllers: [StatusPageController, StatusApiController],
      providers: [
        StatusSampler,
        { provide: STATUS_CONFIG, useValue: config },
        {
          provide: PIPELINE_CLIENTS,
          inject: [Readiness],
          useFactory: (readiness: Readiness): PipelineClients => {
            const pg: Pool = createPgPool(
              { host: config.PG2DDB_PG_HOST, port: config.PG2DDB_PG_PORT, user: config.PG2DDB_PG_USER, password: config.PG2DDB_PG_PASSWORD, database: config.PG2DDB_PG_DATABASE },
              { max: 4, application_name: 'pg2ddb-status' },
            );
            readiness.add({ name: 'postgres', check: cachedProbe(() => pg.query('SELECT 1')) });
            const dynamo: DynamoDBClient = createDynamoClient({ endpoint: config.PG2DDB_DYNAMO_ENDPOINT, region: config.AWS_REGION });
            const prefix = config.PG2DDB_TOPIC_PREFIX;
            return { mapping, prefix, connectorName: connectorName(prefix), connectUrl: config.PG2DDB_CONNECT_URL, ...(config.PG2DDB_CONNECT_USERNAME ? { connectAuth: { username: config.PG2DDB_CONNECT_USERNAME, password: config.PG2DDB_CONNECT_PASSWORD ?? '' } } : {}), slot: config.PG2DDB_SLOT_NAME ?? defaultSlotName(prefix), pg, dynamo, kafka };
          },
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.clients.pg.end();
    this.clients.dynamo.destroy();
  }
}
