import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { topicNames } from '@pg2ddb/contracts';
import { countItems } from '@pg2ddb/dynamo';
import type { CompiledMapping } from '@pg2ddb/mapping';
import { countRows } from '@pg2ddb/postgres';
import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { Gauge, Registry } from 'prom-client';
import { countSummary } from './count-summary';
import type { ReconcilerConfig } from './reconciler-config';
import { COMPILED_MAPPING, DYNAMO_CLIENT, KAFKA_PRODUCER, PG_POOL, RECONCILER_CONFIG } from './tokens';

/**
 * Periodically compares, per entity, the rows in Postgres with the items in DynamoDB and
 * publishes one summary per entity and run on the drift topic (and as metrics).
 */
@Injectable()
export class CountReconciliation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CountReconciliation.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly consistency: Gauge<'entity'>;

  constructor(
    @Inject(RECONCILER_CONFIG) private readonly config: ReconcilerConfig,
    @Inject(COMPILED_MAPPING) private readonly mapping: CompiledMapping,
    @Inject(PG_POOL) private readonly pg: Pool,
    @Inject(DYNAMO_CLIENT) private readonly dynamo: DynamoDBClient,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(Registry) registry: Registry,
  ) {
    this.consistency = new Gauge({
      name: 'pg2ddb_reconciler_consistency_ratio',
      help: 'Consistency rate of the last count reconciliation, per entity (1 = in sync)',
      labelNames: ['entity'],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    const every = this.config.PG2DDB_RECONCILE_INTERVAL_SECONDS * 1000;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce()
        .catch((error: unknown) => this.logger.error(`count reconciliation failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
        });
    }, every);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One run over every entity that has items of its own. */
  async runOnce(): Promise<void> {
    const runId = randomUUID();
    const drift = topicNames(this.config.PG2DDB_TOPIC_PREFIX).drift;
    for (const entity of this.mapping.entities.filter((candidate) => candidate.mode === 'item')) {
      const startedAt = new Date();
      const [rows, items] = await Promise.all([
        countRows(this.pg, entity.schema, entity.table),
        countItems(this.dynamo, this.mapping.table.name, { attribute: entity.entityType.attribute, value: entity.entityType.value }),
      ]);
      const summary = countSummary({ runId, table: this.mapping.table.name, entity: entity.name, rows, items, startedAt, finishedAt: new Date() });
      this.consistency.set({ entity: entity.name }, summary.consistencyRate);
      await this.producer.send({ topic: drift, messages: [{ key: `${this.mapping.table.name}|${entity.name}`, value: JSON.stringify(summary) }], acks: -1 });
      this.logger.log(`count reconciliation ${entity.name}: rows ${rows}, items ${items}`, { runId });
    }
  }
}
